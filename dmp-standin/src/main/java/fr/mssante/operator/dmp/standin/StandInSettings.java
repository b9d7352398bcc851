package fr.mssante.operator.dmp.standin;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * @param bindAddress listening address (default 127.0.0.1)
 * @param port listening port (default 18090; 0 = any free port)
 * @param tls server identity and client CAs; null = plain HTTP, refused unless {@code allowPlainHttp}
 * @param allowPlainHttp development only
 * @param vihfTrustedCas CAs whose certificates may sign VIHF assertions (the issuing CA, not only the root)
 * @param unknownPatients INS matricules answered XDSUnknownPatientId
 * @param workDir Tomcat's base directory
 */
public record StandInSettings(String bindAddress, int port, Tls tls, boolean allowPlainHttp,
                              List<X509Certificate> vihfTrustedCas, Set<String> unknownPatients, Path workDir) {
    public static final int DEFAULT_PORT = 18090;

    /**
     * @param keystore PKCS#12 with the server certificate and key
     * @param keystorePassword its password
     * @param clientCas PEM bundle of the CAs client certificates must chain to (client certificate required)
     */
    public record Tls(Path keystore, char[] keystorePassword, Path clientCas) {
        public Tls {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(keystorePassword, "keystorePassword");
            Objects.requireNonNull(clientCas, "clientCas");
        }
    }

    public StandInSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        vihfTrustedCas = List.copyOf(vihfTrustedCas);
        unknownPatients = Set.copyOf(unknownPatients);
        Objects.requireNonNull(workDir, "workDir");
        if (tls == null && !allowPlainHttp) {
            throw new IllegalArgumentException("no TLS keystore: plain HTTP must be allowed explicitly (development)");
        }
    }
}
