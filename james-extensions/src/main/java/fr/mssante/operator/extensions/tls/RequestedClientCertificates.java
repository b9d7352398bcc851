package fr.mssante.operator.extensions.tls;

import java.io.InputStream;
import java.util.Optional;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.protocols.api.ClientAuth;
import org.apache.james.protocols.netty.Encryption;

import fr.mssante.operator.trust.tls.CountingHandshakes;
import fr.mssante.operator.trust.tls.DeferredValidationTrustManager;
import fr.mssante.operator.trust.tls.PemKeyMaterial;

/**
 * The per-listener option {@code <clientCertificates>requested</clientCertificates>}: TLS "want" instead of James's only
 * choices, none or "need". The handshake accepts any client chain ({@link DeferredValidationTrustManager}); whoever
 * uses the certificate validates it and answers with a clear protocol error (MX: at MAIL FROM; submission and IMAP:
 * at AUTHENTICATE EXTERNAL). Server key material comes from the listener's {@code tls/privateKey} and
 * {@code tls/certificates} (PEM).
 */
public record RequestedClientCertificates(String privateKey, String certificates, String[] protocols, String[] cipherSuites,
                                          boolean socketTls) {

    /** @return the option when the listener asks for it */
    public static Optional<RequestedClientCertificates> from(HierarchicalConfiguration<ImmutableNode> configuration)
        throws ConfigurationException {
        String mode = configuration.getString("clientCertificates", "none");
        if (!mode.equals("none") && !mode.equals("requested")) {
            throw new ConfigurationException("clientCertificates must be 'none' or 'requested', got '" + mode + "'");
        }
        if (mode.equals("none")) {
            return Optional.empty();
        }
        String privateKey = configuration.getString("tls.privateKey", null);
        String certificates = configuration.getString("tls.certificates", null);
        if (privateKey == null || certificates == null) {
            throw new ConfigurationException("clientCertificates=requested needs tls/privateKey and tls/certificates (PEM)");
        }
        return Optional.of(new RequestedClientCertificates(privateKey, certificates,
            configuration.getStringArray("tls.supportedProtocols.protocol"),
            configuration.getStringArray("tls.supportedCipherSuites.cipherSuite"),
            configuration.getBoolean("tls[@socketTLS]", false)));
    }

    public Encryption encryption(FileSystem fileSystem) throws Exception {
        return encryption(fileSystem, ok -> { });
    }

    /** With each handshake's result reported to {@code handshakes} (true: finished, false: failed). */
    public Encryption encryption(FileSystem fileSystem, Consumer<Boolean> handshakes) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        try (InputStream chain = fileSystem.getResource(certificates); InputStream key = fileSystem.getResource(privateKey)) {
            context.init(PemKeyMaterial.keyManagers(chain, key), new DeferredValidationTrustManager[] {DeferredValidationTrustManager.ofClients()}, null);
        }
        context = CountingHandshakes.wrap(context, handshakes);
        return socketTls
            ? Encryption.createTls(context, cipherSuites, protocols, ClientAuth.WANT)
            : Encryption.createStartTls(context, cipherSuites, protocols, ClientAuth.WANT);
    }
}
