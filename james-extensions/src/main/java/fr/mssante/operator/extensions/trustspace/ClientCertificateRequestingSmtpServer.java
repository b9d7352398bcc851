package fr.mssante.operator.extensions.trustspace;

import java.util.Optional;

import io.netty.bootstrap.ServerBootstrap;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SmtpMetrics;

import fr.mssante.operator.audit.metrics.MessageMetrics;
import fr.mssante.operator.extensions.proxy.ProxyProtocol;
import fr.mssante.operator.extensions.tls.RequestedClientCertificates;
import fr.mssante.operator.trust.tls.BoundedUnbind;

/**
 * An SMTP listener that can <em>request</em> (TLS "want") a client certificate: with "need", a peer with an expired,
 * revoked or foreign certificate fails the handshake and never learns why; here the handshake succeeds and
 * {@link CheckOperatorCertificate} (MX) or AUTH EXTERNAL (submission) refuses with a clear reply. See
 * {@link RequestedClientCertificates}. Behind a TCP front it can read the client's address from the PROXY protocol
 * ({@link ProxyProtocol}).
 */
public class ClientCertificateRequestingSmtpServer extends SMTPServer {
    private final FileSystem fileSystem;
    private Optional<RequestedClientCertificates> requested = Optional.empty();
    private ProxyProtocol proxyProtocol = ProxyProtocol.OFF;

    private final MessageMetrics handshakes;

    public ClientCertificateRequestingSmtpServer(SmtpMetrics metrics, FileSystem fileSystem,
                                                 MessageMetrics handshakes) {
        super(metrics);
        this.fileSystem = fileSystem;
        this.handshakes = handshakes;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        requested = RequestedClientCertificates.from(configuration);
        proxyProtocol = ProxyProtocol.from(configuration);
    }

    /** Behind a TCP front: the client named by its PROXY header (MSS_PROXY_PROTOCOL), see {@link ProxyProtocol}. */
    @Override
    protected void configureBootstrap(ServerBootstrap bootstrap) {
        super.configureBootstrap(bootstrap);
        proxyProtocol.install(bootstrap, jmxName);
    }

    /** Stops within a bounded time whatever its event loops are doing (issue 12). */
    @Override
    public void unbind() {
        BoundedUnbind.run(jmxName, super::unbind);
    }

    @Override
    protected void buildSSLContext() throws Exception {
        super.buildSSLContext();
        if (requested.isPresent() && encryption != null) {
            encryption = requested.get().encryption(fileSystem, ok -> handshakes.handshake(jmxName, ok));
        }
    }
}
