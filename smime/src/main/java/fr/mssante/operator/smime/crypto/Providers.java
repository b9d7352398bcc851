package fr.mssante.operator.smime.crypto;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The BouncyCastle provider instance used by the CMS code; never registered globally (no {@code Security.addProvider}). */
public final class Providers {
    public static final Provider BC = new BouncyCastleProvider();

    private Providers() {
    }
}
