package fr.mssante.operator.smime.crypto;

import java.security.Provider;
import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Providers used by the CMS code; BouncyCastle is never registered globally (no {@code Security.addProvider}). */
public final class Providers {
    public static final Provider BC = new BouncyCastleProvider();
    /** Bulk AES (CBC, GCM): the JDK's SunJCE uses AES-NI, several times faster than BouncyCastle's pure Java AES. */
    public static final Provider CONTENT = contentProvider();

    private static Provider contentProvider() {
        Provider sunJce = Security.getProvider("SunJCE");
        return sunJce != null ? sunJce : BC;
    }

    private Providers() {
    }
}
