package fr.mssante.operator.extensions.tls;

import javax.inject.Provider;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;

import fr.mssante.operator.audit.metrics.MessageMetrics;
import fr.mssante.operator.extensions.imap.RequestCancellation;

/** Creates {@link ClientCertificateRequestingImapServer}s for every IMAP listener (the option is per listener). */
public class ClientCertificateRequestingImapServerFactory extends IMAPServerFactory {
    private final RequestCancellation cancellation;

    public ClientCertificateRequestingImapServerFactory(FileSystem fileSystem, Provider<ImapDecoder> decoder, Provider<ImapEncoder> encoder,
                                                        Provider<ImapProcessor> processor, MetricFactory metricFactory,
                                                        GaugeRegistry gaugeRegistry, RequestCancellation cancellation,
                                                        MessageMetrics handshakes) {
        super(fileSystem, decoder, encoder, processor, metricFactory, gaugeRegistry);
        this.cancellation = cancellation;
        this.handshakes = handshakes;
    }

    private final MessageMetrics handshakes;

    @Override
    protected IMAPServer createServer() {
        ClientCertificateRequestingImapServer server = new ClientCertificateRequestingImapServer(decoder.get(), encoder.get(),
            processor.get(), imapMetrics, gaugeRegistry, fileSystem, cancellation);
        server.reportHandshakesTo(handshakes::handshake);
        return server;
    }
}
