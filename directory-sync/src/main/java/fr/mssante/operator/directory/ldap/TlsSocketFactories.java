package fr.mssante.operator.directory.ldap;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories of an {@link LdapTls} context that enable only its protocols: the LDAPS server sockets, and the
 * server-side sockets StartTLS layers over an accepted connection. No client certificate is asked for.
 */
final class TlsSocketFactories {

    private TlsSocketFactories() {
    }

    static SSLServerSocketFactory serverSockets(LdapTls tls) {
        SSLServerSocketFactory delegate = tls.context().getServerSocketFactory();
        String[] protocols = tls.enabledProtocols();
        return new SSLServerSocketFactory() {
            @Override
            public String[] getDefaultCipherSuites() {
                return delegate.getDefaultCipherSuites();
            }

            @Override
            public String[] getSupportedCipherSuites() {
                return delegate.getSupportedCipherSuites();
            }

            @Override
            public ServerSocket createServerSocket() throws IOException {
                return restrict(delegate.createServerSocket());
            }

            @Override
            public ServerSocket createServerSocket(int port) throws IOException {
                return restrict(delegate.createServerSocket(port));
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog) throws IOException {
                return restrict(delegate.createServerSocket(port, backlog));
            }

            @Override
            public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
                return restrict(delegate.createServerSocket(port, backlog, address));
            }

            private ServerSocket restrict(ServerSocket socket) {
                SSLServerSocket s = (SSLServerSocket) socket;
                s.setEnabledProtocols(protocols);
                s.setNeedClientAuth(false);
                s.setWantClientAuth(false);
                return s;
            }
        };
    }

    /** For StartTLS: wraps an accepted plain socket, server side. */
    static SSLSocketFactory startTlsSockets(LdapTls tls) {
        SSLSocketFactory delegate = tls.context().getSocketFactory();
        String[] protocols = tls.enabledProtocols();
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
                return restrict(delegate.createSocket(s, host, port, autoClose));
            }

            @Override
            public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
                return restrict(delegate.createSocket(s, consumed, autoClose));
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return restrict(delegate.createSocket(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                return restrict(delegate.createSocket(host, port, localHost, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return restrict(delegate.createSocket(host, port));
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
                return restrict(delegate.createSocket(address, port, localAddress, localPort));
            }

            private Socket restrict(Socket socket) {
                SSLSocket s = (SSLSocket) socket;
                s.setEnabledProtocols(protocols);
                return s;
            }
        };
    }
}
