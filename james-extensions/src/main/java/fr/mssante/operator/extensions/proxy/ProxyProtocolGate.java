package fr.mssante.operator.extensions.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.trust.network.TrustedFronts;

/**
 * Holds a new connection back from the listener's own handlers until the front has said who the client is.
 * <ul>
 *   <li>a connection from an address outside {@code MSS_PROXY_TRUSTED} is closed at once: nobody else may name a
 *       client (and, with the setting on, nobody connects directly);</li>
 *   <li>a trusted front must send a PROXY header (v1 or v2, decoded before this handler by Netty's
 *       {@code HAProxyMessageDecoder}) within {@link #HEADER_TIMEOUT}: anything else (no header, a TLS hello, an SMTP
 *       command) closes the connection;</li>
 *   <li>a PROXY header for TCP over IPv4 or IPv6 makes its source the channel's remote address
 *       ({@link ProxiedSocketChannel}); LOCAL (the front's own health check) keeps the front's address; any other
 *       (UNKNOWN, UDP, UNIX) is refused.</li>
 * </ul>
 * Only then does James see the connection become active: its connection limits count the client, its greeting and
 * connect handlers run, and the bytes after the header (a TLS hello on implicit-TLS listeners) reach it untouched.
 */
final class ProxyProtocolGate extends ChannelInboundHandlerAdapter {
    /** A front sends its header with the connection: one that has not after this long is not a front. */
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOGGER = LoggerFactory.getLogger(ProxyProtocolGate.class);

    private final TrustedFronts fronts;
    private final String listener;
    private boolean open;
    private ScheduledFuture<?> deadline;

    ProxyProtocolGate(TrustedFronts fronts, String listener) {
        this.fronts = fronts;
        this.listener = listener;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetSocketAddress peer = ((ProxiedSocketChannel) ctx.channel()).tcpPeer();
        if (peer == null || !fronts.contains(peer.getAddress())) {
            LOGGER.warn("{}: connection from {} refused: not a trusted front (MSS_PROXY_TRUSTED), the PROXY protocol is on",
                listener, peer == null ? "?" : peer.getAddress().getHostAddress());
            ctx.close();
            return;
        }
        deadline = ctx.executor().schedule(() -> {
            LOGGER.warn("{}: connection from front {} closed: no PROXY header within {}", listener,
                peer.getAddress().getHostAddress(), HEADER_TIMEOUT);
            ctx.close();
        }, HEADER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (open) {
            ctx.fireChannelRead(message);
            return;
        }
        try {
            if (message instanceof HAProxyMessage header) {
                admit(ctx, header);
            } else {
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void admit(ChannelHandlerContext ctx, HAProxyMessage header) {
        ProxiedSocketChannel channel = (ProxiedSocketChannel) ctx.channel();
        if (header.command() == HAProxyCommand.PROXY) {
            HAProxyProxiedProtocol protocol = header.proxiedProtocol();
            byte[] source = NetUtil.createByteArrayFromIpAddressString(header.sourceAddress());
            if ((protocol != HAProxyProxiedProtocol.TCP4 && protocol != HAProxyProxiedProtocol.TCP6) || source == null) {
                LOGGER.warn("{}: PROXY header for {} from front {} refused: only TCP over IPv4/IPv6 is served", listener,
                    protocol, channel.tcpPeer().getAddress().getHostAddress());
                ctx.close();
                return;
            }
            try {
                channel.clientIs(new InetSocketAddress(InetAddress.getByAddress(source), header.sourcePort()));
            } catch (UnknownHostException e) {
                ctx.close();
                return;
            }
        }
        cancelDeadline();
        open = true;
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        if (open) {
            ctx.fireChannelInactive();
        }
        // else James's handlers never saw the connection start: they must not see it end
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (open) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOGGER.warn("{}: connection from front {} closed: {}", listener,
            ((ProxiedSocketChannel) ctx.channel()).tcpPeer().getAddress().getHostAddress(), cause.getMessage());
        ctx.close();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
