package fr.mssante.operator.extensions.proxy;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * An accepted connection whose {@link #remoteAddress()} becomes the client named by the front's PROXY header once
 * {@link ProxyProtocolGate} has read it. Every reader of the client address asks the channel: James's per-address
 * connection limit, its SMTP and IMAP sessions (Received header, hooks, audit, login throttle) and our own
 * {@code ImapClientAddress}; so they all see the client, never the front.
 */
public final class ProxiedSocketChannel extends NioSocketChannel {
    private volatile InetSocketAddress client;

    ProxiedSocketChannel(Channel parent, SocketChannel socket) {
        super(parent, socket);
    }

    /** The TCP peer: the front itself. */
    public InetSocketAddress tcpPeer() {
        return super.remoteAddress();
    }

    void clientIs(InetSocketAddress address) {
        this.client = address;
    }

    /** The client named by the PROXY header; the TCP peer before it is read (or for a LOCAL header). */
    @Override
    public InetSocketAddress remoteAddress() {
        InetSocketAddress proxied = client;
        return proxied != null ? proxied : super.remoteAddress();
    }
}
