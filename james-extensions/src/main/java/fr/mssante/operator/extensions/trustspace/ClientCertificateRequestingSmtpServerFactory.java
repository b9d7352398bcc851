package fr.mssante.operator.extensions.trustspace;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

import fr.mssante.operator.audit.metrics.MessageMetrics;

/** Creates {@link ClientCertificateRequestingSmtpServer}s for every SMTP listener (the option is per listener). */
public class ClientCertificateRequestingSmtpServerFactory extends SMTPServerFactory {
    @Inject
    public ClientCertificateRequestingSmtpServerFactory(DNSService dns, ProtocolHandlerLoader loader, FileSystem fileSystem,
                                                        MetricFactory metricFactory,
                                                        MessageMetrics handshakes) {
        super(dns, loader, fileSystem, metricFactory);
        this.handshakes = handshakes;
    }

    private final MessageMetrics handshakes;

    @Override
    protected SMTPServer createServer() {
        return new ClientCertificateRequestingSmtpServer(smtpMetrics, fileSystem, handshakes);
    }
}
