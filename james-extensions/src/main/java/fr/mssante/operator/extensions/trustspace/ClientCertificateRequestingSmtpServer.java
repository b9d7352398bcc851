package fr.mssante.operator.extensions.trustspace;

import java.io.InputStream;

import javax.net.ssl.SSLContext;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.protocols.api.ClientAuth;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SmtpMetrics;

import fr.mssante.operator.extensions.tls.DeferredValidationTrustManager;
import fr.mssante.operator.extensions.tls.PemKeyMaterial;

/**
 * An SMTP listener that <em>requests</em> (TLS "want") a client certificate instead of James's only choices, none
 * or "need". With "need", a peer with an expired, revoked or foreign certificate fails the handshake and never learns
 * why; here the handshake succeeds and {@link CheckOperatorCertificate} refuses at MAIL FROM with a clear reply.
 * The TLS layer accepts any client chain: the validation is the hook's.
 *
 * <p>Enabled per listener in {@code smtpserver.xml}: {@code <clientCertificates>requested</clientCertificates>}.
 * Server key material comes from the listener's {@code tls/privateKey} and {@code tls/certificates} (PEM).
 */
public class ClientCertificateRequestingSmtpServer extends SMTPServer {
    private final FileSystem fileSystem;
    private boolean requestClientCertificates;
    private String privateKey;
    private String certificates;
    private String[] protocols;
    private String[] cipherSuites;
    private boolean socketTls;

    public ClientCertificateRequestingSmtpServer(SmtpMetrics metrics, FileSystem fileSystem) {
        super(metrics);
        this.fileSystem = fileSystem;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        String mode = configuration.getString("clientCertificates", "none");
        if (!mode.equals("none") && !mode.equals("requested")) {
            throw new ConfigurationException("clientCertificates must be 'none' or 'requested', got '" + mode + "'");
        }
        requestClientCertificates = mode.equals("requested");
        privateKey = configuration.getString("tls.privateKey", null);
        certificates = configuration.getString("tls.certificates", null);
        protocols = configuration.getStringArray("tls.supportedProtocols.protocol");
        cipherSuites = configuration.getStringArray("tls.supportedCipherSuites.cipherSuite");
        socketTls = configuration.getBoolean("tls[@socketTLS]", false);
        if (requestClientCertificates && (privateKey == null || certificates == null)) {
            throw new ConfigurationException("clientCertificates=requested needs tls/privateKey and tls/certificates (PEM)");
        }
    }

    @Override
    protected void buildSSLContext() throws Exception {
        super.buildSSLContext();
        if (!requestClientCertificates || encryption == null) {
            return;
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(), new DeferredValidationTrustManager[] {DeferredValidationTrustManager.ofClients()}, null);
        encryption = socketTls
            ? Encryption.createTls(context, cipherSuites, protocols, ClientAuth.WANT)
            : Encryption.createStartTls(context, cipherSuites, protocols, ClientAuth.WANT);
    }

    private javax.net.ssl.KeyManager[] keyManagers() throws Exception {
        try (InputStream chain = fileSystem.getResource(certificates); InputStream key = fileSystem.getResource(privateKey)) {
            return PemKeyMaterial.keyManagers(chain, key);
        }
    }
}
