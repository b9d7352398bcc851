package fr.mssante.operator.extensions.antivirus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * clamd's INSTREAM protocol (clamd(8)): {@code zINSTREAM\0}, then chunks of {@code <4-byte big-endian length><bytes>},
 * a zero-length chunk, and one reply line: {@code stream: OK}, {@code stream: <signature> FOUND} or
 * {@code ... ERROR}. TCP ({@code host:port}) or a Unix socket ({@code unix:/run/clamav/clamd.ctl}). Anything that is
 * not a clear answer — refused connection, timeout, size limit, ERROR — is {@link Verdict.Unavailable}: the mail waits.
 */
public final class ClamdVirusScanner implements VirusScanner {
    private static final int CHUNK = 64 * 1024;

    private final String address;
    private final Duration timeout;

    public ClamdVirusScanner(String address, Duration timeout) {
        if (!address.startsWith("unix:") && address.lastIndexOf(':') <= 0) {
            throw new IllegalArgumentException("clamd address must be host:port or unix:/path, got '" + address + "'");
        }
        this.address = address;
        this.timeout = timeout;
    }

    /** @return true when clamd answers PONG */
    public boolean ping() {
        try (Connection connection = connect()) {
            connection.out().write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            connection.out().flush();
            return readReply(connection.in()).equals("PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Verdict scan(InputStream content) {
        try (Connection connection = connect()) {
            OutputStream out = connection.out();
            out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[CHUNK];
            int read;
            while ((read = content.read(buffer)) > 0) {
                out.write(ByteBuffer.allocate(4).putInt(read).array());
                out.write(buffer, 0, read);
            }
            out.write(new byte[4]);
            out.flush();
            String reply = readReply(connection.in());
            if (reply.endsWith(" OK")) {
                return new Verdict.Clean();
            }
            if (reply.endsWith(" FOUND")) {
                String signature = reply.substring(reply.indexOf(':') + 1, reply.length() - " FOUND".length()).trim();
                return new Verdict.Infected(signature);
            }
            return new Verdict.Unavailable("clamd: " + reply);
        } catch (IOException e) {
            return new Verdict.Unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private record Connection(AutoCloseable socket, InputStream in, OutputStream out) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                socket.close();
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    private Connection connect() throws IOException {
        if (address.startsWith("unix:")) {
            SocketAddress path = UnixDomainSocketAddress.of(address.substring("unix:".length()));
            SocketChannel channel = SocketChannel.open(path);
            return new Connection(channel, Channels.newInputStream(channel), Channels.newOutputStream(channel));
        }
        int colon = address.lastIndexOf(':');
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
            (int) timeout.toMillis());
        socket.setSoTimeout((int) timeout.toMillis());
        return new Connection(socket, socket.getInputStream(), socket.getOutputStream());
    }

    private static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) > 0 && b != '\n' && reply.size() < 4096) {
            reply.write(b);
        }
        return reply.toString(StandardCharsets.US_ASCII).trim();
    }

    @Override
    public String toString() {
        return "clamd at " + address;
    }
}
