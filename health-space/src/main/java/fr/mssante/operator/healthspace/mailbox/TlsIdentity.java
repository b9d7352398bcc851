package fr.mssante.operator.healthspace.mailbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of the health space towards the mail server: its client identity (PKCS#12) and the CAs that may
 * sign the server's certificate (PEM bundle). TLS 1.2 or 1.3 only.
 */
public final class TlsIdentity {
    private TlsIdentity() {
    }

    public static SSLContext context(Path pkcs12, Path passwordFile, Path trustRoots) {
        try {
            char[] password = Files.readString(passwordFile, StandardCharsets.UTF_8).trim().toCharArray();
            KeyStore identity = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pkcs12)) {
                identity.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity, password);

            KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
            roots.load(null, null);
            Collection<? extends Certificate> certificates;
            try (InputStream in = Files.newInputStream(trustRoots)) {
                certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            int index = 0;
            for (Certificate certificate : certificates) {
                roots.setCertificateEntry("root-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(roots);

            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("TLS identity unreadable (" + pkcs12 + ", " + trustRoots + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS identity unusable (" + pkcs12 + ", " + trustRoots + ")", e);
        }
    }
}
