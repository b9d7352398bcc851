package fr.mssante.operator.extensions.tls;

import java.util.Optional;
import java.util.function.BiConsumer;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.ImapMetrics;
import org.apache.james.imapserver.netty.NettyConstants;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.util.Size;

import fr.mssante.operator.extensions.imap.DeepStructureFetchGuard;
import fr.mssante.operator.extensions.imap.DetachedRequestProcessor;
import fr.mssante.operator.extensions.imap.ImapInputLimits;
import fr.mssante.operator.extensions.imap.LimitedImapRequestFrameDecoder;
import fr.mssante.operator.extensions.imap.RequestCancellation;
import fr.mssante.operator.extensions.proxy.ProxyProtocol;
import fr.mssante.operator.trust.tls.BoundedUnbind;

/**
 * An IMAP listener that can request a client certificate for AUTHENTICATE EXTERNAL (see
 * {@link RequestedClientCertificates}), bounds what a command may make it read ({@link LimitedImapRequestFrameDecoder},
 * {@code <literalSizeLimit>}), runs requests to their end when their client goes ({@link DetachedRequestProcessor}) and
 * stops in bounded time ({@link BoundedUnbind}); behind a TCP front it can read the client's address from the PROXY
 * protocol ({@link ProxyProtocol}).
 */
public class ClientCertificateRequestingImapServer extends IMAPServer {
    /** When {@code <literalSizeLimit>} is absent: the default message size limit (36 MiB). */
    public static final int DEFAULT_MAX_LITERAL_SIZE = 36 * 1024 * 1024;
    /**
     * Once authenticated, the literals of one command may total the message-size limit ({@code literalSizeLimit}) plus
     * this much, so that an oversize APPEND reaches its parser and gets NO [TOOBIG] (RFC 7889) and its audit row.
     */
    public static final int COMMAND_HEADROOM = 64 * 1024;

    private final FileSystem fileSystem;
    private final ImapDecoder decoder;
    private final DeepStructureFetchGuard structureGuard;
    private Optional<RequestedClientCertificates> requested = Optional.empty();
    private ProxyProtocol proxyProtocol = ProxyProtocol.OFF;
    private ImapInputLimits limits = ImapInputLimits.of(DEFAULT_MAX_LITERAL_SIZE, DEFAULT_MAX_LINE_LENGTH);
    private int inMemorySizeLimit;
    private int jamesLiteralSizeLimit;

    public ClientCertificateRequestingImapServer(ImapDecoder decoder, ImapEncoder encoder, ImapProcessor processor,
                                                 ImapMetrics metrics, GaugeRegistry gaugeRegistry, FileSystem fileSystem,
                                                 RequestCancellation cancellation) {
        this(decoder, encoder, new DeepStructureFetchGuard(processor), metrics, gaugeRegistry, fileSystem, cancellation);
    }

    private ClientCertificateRequestingImapServer(ImapDecoder decoder, ImapEncoder encoder, DeepStructureFetchGuard processor,
                                                  ImapMetrics metrics, GaugeRegistry gaugeRegistry, FileSystem fileSystem,
                                                  RequestCancellation cancellation) {
        super(decoder, encoder, new DetachedRequestProcessor(processor, cancellation), metrics, gaugeRegistry);
        this.fileSystem = fileSystem;
        this.decoder = decoder;
        this.structureGuard = processor;
    }

    private BiConsumer<String, Boolean> handshakes = (listener, ok) -> { };

    /** Where each TLS handshake's result goes (listener name, finished or failed): {@code mss_tls_handshakes_total}. */
    public void reportHandshakesTo(BiConsumer<String, Boolean> handshakes) {
        this.handshakes = handshakes;
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        requested = RequestedClientCertificates.from(configuration);
        proxyProtocol = ProxyProtocol.from(configuration);
        // the values James's own decoder gets (IMAPServer keeps them private)
        int maxLineLength = configuration.getInt("maxLineLength", DEFAULT_MAX_LINE_LENGTH);
        inMemorySizeLimit = Math.toIntExact(Optional.ofNullable(configuration.getString("inMemorySizeLimit", null))
            .map(Size::parse).orElse(DEFAULT_IN_MEMORY_SIZE_LIMIT).asBytes());
        jamesLiteralSizeLimit = Optional.ofNullable(configuration.getString("literalSizeLimit", null))
            .map(Size::parse).map(Size::asBytes).map(Math::toIntExact).orElse(DEFAULT_LITERAL_SIZE_LIMIT);
        int maxLiteralSize = Math.addExact(jamesLiteralSizeLimit > 0 ? jamesLiteralSizeLimit : DEFAULT_MAX_LITERAL_SIZE,
            COMMAND_HEADROOM);
        int maxMimeDepth = configuration.getInt("maxMimeDepth", 32);
        if (maxMimeDepth < 2) {
            throw new ConfigurationException("imapserver.xml: maxMimeDepth must be at least 2");
        }
        structureGuard.maxDepth(maxMimeDepth);
        try {
            limits = ImapInputLimits.of(maxLiteralSize, maxLineLength);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("imapserver.xml: " + e.getMessage());
        }
    }

    @Override
    protected void buildSSLContext() throws Exception {
        super.buildSSLContext();
        if (requested.isPresent() && encryption != null) {
            encryption = requested.get().encryption(fileSystem, ok -> handshakes.accept(jmxName, ok));
        }
    }

    /** James's channel set-up, then its request decoder replaced by ours. */
    @Override
    protected void configureBootstrap(ServerBootstrap bootstrap) {
        super.configureBootstrap(bootstrap);
        ChannelHandler james = bootstrap.config().childHandler();
        bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                // the channel is registered: James's initializer runs as soon as it is added
                channel.pipeline().addLast(james);
                if (channel.pipeline().get(NettyConstants.REQUEST_DECODER) != null) {
                    channel.pipeline().replace(NettyConstants.REQUEST_DECODER, NettyConstants.REQUEST_DECODER,
                        new LimitedImapRequestFrameDecoder(decoder, inMemorySizeLimit, jamesLiteralSizeLimit,
                            limits.maxLineLength(), limits));
                }
            }
        });
        // behind a TCP front: the client named by its PROXY header (MSS_PROXY_PROTOCOL)
        proxyProtocol.install(bootstrap, jmxName);
    }

    @Override
    public void unbind() {
        BoundedUnbind.run(jmxName, super::unbind);
    }

    public ImapInputLimits limits() {
        return limits;
    }
}
