package fr.mssante.operator.directory.ldap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * An accepted plain LDAP connection whose input goes through an {@link LdapMessageGuard}, counted per client address
 * until closed. When StartTLS layers TLS over it, {@link #passThrough()} hands the raw bytes to TLS (the decrypted
 * stream is guarded by {@link GuardedSslSocket}).
 */
final class GuardedSocket extends Socket {
    private final LdapLimits limits;
    private final ConnectionsPerAddress connections;
    private InetAddress counted;
    private LdapMessageGuard guard;
    private boolean passThrough;
    private boolean released;

    GuardedSocket(LdapLimits limits, ConnectionsPerAddress connections) {
        this.limits = limits;
        this.connections = connections;
    }

    void counted(InetAddress address) {
        this.counted = address;
    }

    synchronized void passThrough() {
        passThrough = true;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (passThrough) {
            return super.getInputStream();
        }
        if (guard == null) {
            guard = new LdapMessageGuard(super.getInputStream(), limits, this::answerAndClose);
        }
        return guard;
    }

    void answerAndClose(byte[] answer) throws IOException {
        try {
            OutputStream out = getOutputStream();
            out.write(answer);
            out.flush();
        } finally {
            close();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!released) {
            released = true;
            connections.release(counted);
        }
        super.close();
    }
}
