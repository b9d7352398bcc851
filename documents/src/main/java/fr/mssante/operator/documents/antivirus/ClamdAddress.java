package fr.mssante.operator.documents.antivirus;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** Where clamd listens: TCP ({@code host:port}) or a Unix socket ({@code unix:/run/clamav/clamd.ctl}). */
public sealed interface ClamdAddress {
    SocketAddress socketAddress();

    record Tcp(String host, int port) implements ClamdAddress {
        public Tcp {
            if (host == null || host.isBlank() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("clamd TCP address needs a host and a port 1-65535");
            }
        }

        @Override
        public SocketAddress socketAddress() {
            return new InetSocketAddress(host, port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    record Unix(Path path) implements ClamdAddress {
        @Override
        public SocketAddress socketAddress() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /** {@code host:port}, {@code [v6]:port} or {@code unix:/path}. */
    static ClamdAddress parse(String value) {
        String text = value == null ? "" : value.trim();
        if (text.startsWith("unix:")) {
            String path = text.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("clamd unix address needs a path: unix:/run/clamav/clamd.ctl");
            }
            return new Unix(Path.of(path));
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("clamd address must be host:port or unix:/path, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new Tcp(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("clamd port is not a number in '" + text + "'", e);
        }
    }
}
