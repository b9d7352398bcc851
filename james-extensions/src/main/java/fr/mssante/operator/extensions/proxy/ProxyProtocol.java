package fr.mssante.operator.extensions.proxy;

import java.lang.reflect.Field;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;

import fr.mssante.operator.trust.network.TrustedFronts;

/**
 * The PROXY protocol (HAProxy's {@code send-proxy} / {@code send-proxy-v2}) on an SMTP or IMAP listener, configured by
 * {@code <proxyProtocol trusted="…">true|false</proxyProtocol>} (MSS_PROXY_PROTOCOL, MSS_PROXY_TRUSTED).
 *
 * <p>James 3.8.1's own {@code proxyRequired} is not used: it decodes the header after its per-address connection limit
 * has counted the front and after the SMTP connect handlers have run with the front's address, and it believes a
 * header from anyone. Here the header is read before any of James's handlers sees the connection
 * ({@link ProxyProtocolGate}), only from the trusted fronts, and the client address it names becomes the channel's
 * own ({@link ProxiedSocketChannel}).
 */
public record ProxyProtocol(boolean enabled, TrustedFronts trusted) {
    public static final String DECODER = "proxyProtocolDecoder";
    public static final String GATE = "proxyProtocolGate";
    public static final ProxyProtocol OFF = new ProxyProtocol(false, TrustedFronts.parse(""));

    public static ProxyProtocol from(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        String enabled = configuration.getString("proxyProtocol", "false").trim();
        if (!enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
            throw new ConfigurationException("proxyProtocol must be true or false, got '" + enabled + "'");
        }
        if (configuration.getBoolean("proxyRequired", false)) {
            throw new ConfigurationException("proxyRequired (James's PROXY protocol) is not supported: use proxyProtocol");
        }
        TrustedFronts trusted;
        try {
            trusted = TrustedFronts.parse(configuration.getString("proxyProtocol[@trusted]", ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("proxyProtocol trusted: " + e.getMessage());
        }
        boolean on = Boolean.parseBoolean(enabled);
        if (on && trusted.isEmpty()) {
            throw new ConfigurationException("proxyProtocol is on but no trusted front is listed (MSS_PROXY_TRUSTED)");
        }
        return new ProxyProtocol(on, trusted);
    }

    /**
     * Puts the PROXY protocol in front of the listener's channel set-up ({@code bootstrap.childHandler()}, already
     * set): each connection is a {@link ProxiedSocketChannel}, and the header decoder and the gate come first in its
     * pipeline, before the TLS handler of an implicit-TLS listener. Nothing changes when the protocol is off.
     */
    public void install(ServerBootstrap bootstrap, String listener) {
        if (!enabled) {
            return;
        }
        acceptProxiedChannels(bootstrap);
        ChannelHandler james = bootstrap.config().childHandler();
        bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                // the channel is registered: the listener's initializer runs as soon as it is added
                channel.pipeline().addLast(james);
                channel.pipeline().addFirst(GATE, new ProxyProtocolGate(trusted, listener));
                channel.pipeline().addFirst(DECODER, new HAProxyMessageDecoder());
            }
        });
    }

    /** James's bootstrap has its channel class set already, and Netty allows it once: replaced here. */
    private static void acceptProxiedChannels(ServerBootstrap bootstrap) {
        try {
            Field factory = AbstractBootstrap.class.getDeclaredField("channelFactory");
            factory.setAccessible(true);
            factory.set(bootstrap, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("This Netty version does not let the PROXY protocol set its channel class", e);
        }
        bootstrap.channel(ProxiedServerSocketChannel.class);
    }
}
