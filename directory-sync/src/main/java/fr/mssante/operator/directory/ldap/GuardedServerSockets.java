package fr.mssante.operator.directory.ldap;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.sdk.ResultCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server socket factories that put every accepted LDAP connection under the {@link LdapLimits}: plain (and StartTLS)
 * connections, and LDAPS ones. A connection beyond the per-address limit is closed at once (plain: after a notice of
 * disconnection with {@code unavailable}).
 */
final class GuardedServerSockets {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedServerSockets.class);

    private GuardedServerSockets() {
    }

    /** Plain LDAP (StartTLS included, with {@link #startTls}). */
    static ServerSocketFactory plain(LdapLimits limits, ConnectionsPerAddress connections) {
        return new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return new PlainServerSocket(limits, connections);
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return bind(new PlainServerSocket(limits, connections), port, 50, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return bind(new PlainServerSocket(limits, connections), port, backlog, null);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                return bind(new PlainServerSocket(limits, connections), port, backlog, address);
            }
        };
    }

    /** LDAPS: the TLS server sockets of {@code tls}, each accepted connection guarded on its decrypted stream. */
    static ServerSocketFactory tls(SSLServerSocketFactory tls, LdapLimits limits, ConnectionsPerAddress connections) {
        return new ServerSocketFactory() {
            @Override
            public ServerSocket createServerSocket() throws IOException {
                return new TlsServerSocket(tls.createServerSocket(), limits, connections);
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return new TlsServerSocket(tls.createServerSocket(port), limits, connections);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return new TlsServerSocket(tls.createServerSocket(port, backlog), limits, connections);
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                return new TlsServerSocket(tls.createServerSocket(port, backlog, address), limits, connections);
            }
        };
    }

    /** StartTLS: TLS layered over the raw bytes of a guarded plain connection, the decrypted stream guarded. */
    static SSLSocketFactory startTls(SSLSocketFactory delegate, LdapLimits limits) {
        return new SSLSocketFactory() {
            @Override
            public String[] getDefaultCipherSuites() {
                return delegate.getDefaultCipherSuites();
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return delegate.getSupportedCipherSuites();
            }

            @Override
            public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
                if (s instanceof GuardedSocket guarded) {
                    guarded.passThrough();
                }
                return new GuardedSslSocket((SSLSocket) delegate.createSocket(s, host, port, autoClose), limits);
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                throw new SocketException("server-side factory");
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                throw new SocketException("server-side factory");
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                throw new SocketException("server-side factory");
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
                throw new SocketException("server-side factory");
            }

            @Override
            public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
                if (s instanceof GuardedSocket guarded) {
                    guarded.passThrough();
                }
                return new GuardedSslSocket((SSLSocket) delegate.createSocket(s, consumed, autoClose), limits);
            }
        };
    }

    private static ServerSocket bind(ServerSocket socket, int port, int backlog, InetAddress address) throws IOException {
        try {
            socket.bind(new InetSocketAddress(address, port), backlog);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    static byte[] tooManyConnections(int limit) {
        return new LDAPMessage(0, new ExtendedResponseProtocolOp(ResultCode.UNAVAILABLE_INT_VALUE, null,
            "more than " + limit + " connections from your address", null, LdapMessageGuard.NOTICE_OF_DISCONNECTION, null))
            .encode().encode();
    }

    private static final class PlainServerSocket extends ServerSocket {
        private final LdapLimits limits;
        private final ConnectionsPerAddress connections;

        PlainServerSocket(LdapLimits limits, ConnectionsPerAddress connections) throws IOException {
            this.limits = limits;
            this.connections = connections;
        }

        @Override
        public Socket accept() throws IOException {
            while (true) {
                GuardedSocket socket = new GuardedSocket(limits, connections);
                implAccept(socket);
                InetAddress address = socket.getInetAddress();
                if (connections.tryAcquire(address)) {
                    socket.counted(address);
                    return socket;
                }
                LOG.info("LDAP connection from {} refused: more than {} connections", address,
                    limits.maxConnectionsPerAddress());
                try {
                    socket.setSoTimeout(1000);
                    socket.answerAndClose(tooManyConnections(limits.maxConnectionsPerAddress()));
                } catch (IOException e) {
                    socket.close();
                }
            }
        }
    }

    /** Delegates to a bound TLS server socket; every accepted connection is counted and guarded. */
    private static final class TlsServerSocket extends ServerSocket {
        private final ServerSocket delegate;
        private final LdapLimits limits;
        private final ConnectionsPerAddress connections;

        TlsServerSocket(ServerSocket delegate, LdapLimits limits, ConnectionsPerAddress connections) throws IOException {
            this.delegate = delegate;
            this.limits = limits;
            this.connections = connections;
        }

        @Override
        public Socket accept() throws IOException {
            while (true) {
                SSLSocket socket = (SSLSocket) delegate.accept();
                InetAddress address = socket.getInetAddress();
                if (connections.tryAcquire(address)) {
                    return new GuardedSslSocket(socket, limits, connections, address);
                }
                LOG.info("LDAPS connection from {} refused: more than {} connections", address,
                    limits.maxConnectionsPerAddress());
                socket.close();
            }
        }

        @Override
        public void bind(SocketAddress endpoint, int backlog) throws IOException {
            delegate.bind(endpoint, backlog);
        }

        @Override
        public void bind(SocketAddress endpoint) throws IOException {
            delegate.bind(endpoint);
        }

        @Override
        public InetAddress getInetAddress() {
            return delegate.getInetAddress();
        }

        @Override
        public int getLocalPort() {
            return delegate.getLocalPort();
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return delegate.getLocalSocketAddress();
        }

        @Override
        public void close() throws IOException {
            try {
                delegate.close();
            } finally {
                super.close();
            }
        }

        @Override
        public boolean isBound() {
            return delegate.isBound();
        }

        @Override
        public boolean isClosed() {
            return delegate.isClosed();
        }

        @Override
        public synchronized void setSoTimeout(int timeout) throws SocketException {
            delegate.setSoTimeout(timeout);
        }

        @Override
        public synchronized int getSoTimeout() throws IOException {
            return delegate.getSoTimeout();
        }

        @Override
        public void setReuseAddress(boolean on) throws SocketException {
            delegate.setReuseAddress(on);
        }

        @Override
        public boolean getReuseAddress() throws SocketException {
            return delegate.getReuseAddress();
        }

        @Override
        public synchronized void setReceiveBufferSize(int size) throws SocketException {
            delegate.setReceiveBufferSize(size);
        }

        @Override
        public synchronized int getReceiveBufferSize() throws SocketException {
            return delegate.getReceiveBufferSize();
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
