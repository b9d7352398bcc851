package fr.mssante.operator.extensions.proxy;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.List;

import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.internal.SocketUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A listening socket whose accepted connections are {@link ProxiedSocketChannel}s. */
public final class ProxiedServerSocketChannel extends NioServerSocketChannel {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProxiedServerSocketChannel.class);

    @Override
    protected int doReadMessages(List<Object> accepted) throws Exception {
        SocketChannel socket = SocketUtils.accept(javaChannel());
        if (socket == null) {
            return 0;
        }
        try {
            accepted.add(new ProxiedSocketChannel(this, socket));
            return 1;
        } catch (RuntimeException e) {
            LOGGER.warn("Could not set up an accepted connection", e);
            try {
                socket.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            return 0;
        }
    }
}
