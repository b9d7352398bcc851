package fr.mssante.operator.extensions.tls;

import java.util.Optional;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.ImapMetrics;
import org.apache.james.metrics.api.GaugeRegistry;

/** An IMAP listener that can request a client certificate for AUTHENTICATE EXTERNAL; see {@link RequestedClientCertificates}. */
public class ClientCertificateRequestingImapServer extends IMAPServer {
    private final FileSystem fileSystem;
    private Optional<RequestedClientCertificates> requested = Optional.empty();

    public ClientCertificateRequestingImapServer(ImapDecoder decoder, ImapEncoder encoder, ImapProcessor processor,
                                                 ImapMetrics metrics, GaugeRegistry gaugeRegistry, FileSystem fileSystem) {
        super(decoder, encoder, processor, metrics, gaugeRegistry);
        this.fileSystem = fileSystem;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        requested = RequestedClientCertificates.from(configuration);
    }

    @Override
    protected void buildSSLContext() throws Exception {
        super.buildSSLContext();
        if (requested.isPresent() && encryption != null) {
            encryption = requested.get().encryption(fileSystem);
        }
    }
}
