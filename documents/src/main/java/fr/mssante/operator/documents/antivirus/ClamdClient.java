package fr.mssante.operator.documents.antivirus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clamd client (clamd(8)): {@code zPING}, {@code zVERSION} and {@code zINSTREAM} — the content goes as chunks
 * {@code <4-byte big-endian length><bytes>} ended by a zero-length chunk, and clamd answers one NUL-terminated line:
 * {@code stream: OK}, {@code stream: <signature> FOUND} or {@code <message> ERROR}. Over TCP or a Unix socket
 * (JDK 16+ {@code UnixDomainSocketAddress}), with non-blocking channels so that connect, every write and the wait for
 * the answer are bounded by {@link ClamdSettings} on both transports. Thread-safe: one connection per call.
 * Never throws; see {@link ScanResult} for how "unavailable" (retry later) differs from "error".
 */
public final class ClamdClient {
    private static final Logger LOG = LoggerFactory.getLogger(ClamdClient.class);
    private static final int MAX_REPLY = 4096;

    private final ClamdSettings settings;

    public ClamdClient(ClamdSettings settings) {
        this.settings = settings;
    }

    public ClamdSettings settings() {
        return settings;
    }

    /** True when clamd answers {@code PONG}. */
    public boolean ping() {
        return command("zPING").map("PONG"::equals).orElse(false);
    }

    /** clamd's version line ({@code ClamAV 1.4.3/...}), if it answers. */
    public Optional<String> version() {
        return command("zVERSION");
    }

    public ScanResult scan(byte[] content) {
        return scan(new ByteArrayInputStream(content));
    }

    /** Streams {@code content} to clamd (read to its end, not closed). */
    public ScanResult scan(InputStream content) {
        long started = System.nanoTime();
        ScanResult result = doScan(content);
        LOG.debug("clamd {} scan: {} in {} ms", settings.address(), describe(result), (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    private ScanResult doScan(InputStream content) {
        Connection connection;
        try {
            connection = connect();
        } catch (IOException e) {
            return unavailable(e instanceof TimeoutException ? e : new ConnectException(e.getMessage()));
        }
        try (connection) {
            try {
                connection.write(ByteBuffer.wrap("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII)));
                byte[] chunk = new byte[settings.chunkBytes()];
                long sent = 0;
                while (true) {
                    int n;
                    try {
                        n = content.readNBytes(chunk, 0, chunk.length);
                    } catch (IOException e) {
                        return new ScanResult.Error(ScanResult.ErrorReason.INPUT_UNREADABLE, e.getClass().getSimpleName());
                    }
                    if (n == 0) {
                        break;
                    }
                    sent += n;
                    if (sent > settings.maxStreamBytes()) {
                        return new ScanResult.Error(ScanResult.ErrorReason.TOO_LARGE,
                            "content larger than " + settings.maxStreamBytes() + " bytes");
                    }
                    ByteBuffer frame = ByteBuffer.allocate(4 + n);
                    frame.putInt(n).put(chunk, 0, n).flip();
                    connection.write(frame);
                }
                connection.write(ByteBuffer.allocate(4));
            } catch (IOException e) {
                // clamd may stop reading (StreamMaxLength) and still have said why
                Optional<String> reply = connection.tryReadReply();
                return reply.isPresent() ? interpret(reply.get())
                    : unavailable(e instanceof TimeoutException ? e : new ConnectionLostException(e.getMessage()));
            }
            String reply;
            try {
                reply = connection.readReply();
            } catch (IOException e) {
                return unavailable(e);
            }
            return interpret(reply);
        }
    }

    static ScanResult interpret(String reply) {
        if (reply.isEmpty()) {
            return new ScanResult.Unavailable(ScanResult.UnavailableReason.CONNECTION_LOST, "clamd closed the connection without an answer");
        }
        if (reply.endsWith(" OK") && !reply.endsWith("ERROR")) {
            return new ScanResult.Clean();
        }
        if (reply.endsWith(" FOUND")) {
            String body = reply.substring(0, reply.length() - " FOUND".length());
            int colon = body.indexOf(':');
            return new ScanResult.Infected((colon >= 0 ? body.substring(colon + 1) : body).trim());
        }
        if (reply.endsWith("ERROR")) {
            if (reply.contains("size limit exceeded")) {
                return new ScanResult.Error(ScanResult.ErrorReason.TOO_LARGE, reply);
            }
            return new ScanResult.Error(ScanResult.ErrorReason.CLAMD_ERROR, reply);
        }
        return new ScanResult.Error(ScanResult.ErrorReason.PROTOCOL, "unexpected clamd answer '" + reply + "'");
    }

    private Optional<String> command(String command) {
        try (Connection connection = connect()) {
            connection.write(ByteBuffer.wrap((command + "\0").getBytes(StandardCharsets.US_ASCII)));
            String reply = connection.readReply();
            return reply.isEmpty() ? Optional.empty() : Optional.of(reply);
        } catch (IOException e) {
            LOG.debug("clamd {} {}: {}", settings.address(), command, e.toString());
            return Optional.empty();
        }
    }

    private static ScanResult unavailable(IOException e) {
        ScanResult.UnavailableReason reason;
        if (e instanceof TimeoutException) {
            reason = ScanResult.UnavailableReason.TIMEOUT;
        } else if (e instanceof ConnectException) {
            reason = ScanResult.UnavailableReason.CONNECTION_REFUSED;
        } else if (e instanceof ConnectionLostException || e instanceof SocketException) {
            reason = ScanResult.UnavailableReason.CONNECTION_LOST;
        } else {
            reason = ScanResult.UnavailableReason.IO_ERROR;
        }
        return new ScanResult.Unavailable(reason, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private static String describe(ScanResult result) {
        if (result instanceof ScanResult.Infected infected) {
            return "INFECTED " + infected.signature();
        }
        if (result instanceof ScanResult.Unavailable unavailable) {
            return "UNAVAILABLE " + unavailable.reason();
        }
        if (result instanceof ScanResult.Error error) {
            return "ERROR " + error.reason();
        }
        return "CLEAN";
    }

    private Connection connect() throws IOException {
        ClamdAddress address = settings.address();
        SocketChannel channel = address instanceof ClamdAddress.Unix
            ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            if (!channel.connect(address.socketAddress())) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(settings.connectTimeout().toMillis()) == 0) {
                    throw new TimeoutException("no connection to clamd within " + settings.connectTimeout().toMillis() + " ms");
                }
                channel.finishConnect();
            }
            return new Connection(channel, selector, settings.ioTimeout().toMillis());
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** Timed out waiting for clamd. */
    static final class TimeoutException extends IOException {
        private static final long serialVersionUID = 1L;

        TimeoutException(String message) {
            super(message);
        }
    }

    /** clamd closed the connection. */
    static final class ConnectionLostException extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectionLostException(String message) {
            super(message);
        }
    }

    private static final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        private final Selector selector;
        private final long timeoutMillis;

        Connection(SocketChannel channel, Selector selector, long timeoutMillis) {
            this.channel = channel;
            this.selector = selector;
            this.timeoutMillis = timeoutMillis;
        }

        void write(ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                if (channel.write(buffer) == 0) {
                    await(SelectionKey.OP_WRITE, timeoutMillis);
                }
            }
        }

        /** Reads up to NUL, newline or end of stream. */
        String readReply() throws IOException {
            return readReply(timeoutMillis);
        }

        /** After a failed write: whatever clamd said before closing, within a short wait. */
        Optional<String> tryReadReply() {
            try {
                String reply = readReply(Math.min(timeoutMillis, 2_000));
                return reply.isEmpty() ? Optional.empty() : Optional.of(reply);
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        private String readReply(long timeout) throws IOException {
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(512);
            while (reply.size() < MAX_REPLY) {
                buffer.clear();
                int n = channel.read(buffer);
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    await(SelectionKey.OP_READ, timeout);
                    continue;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == 0 || b == '\n') {
                        return reply.toString(StandardCharsets.US_ASCII).trim();
                    }
                    reply.write(b);
                }
            }
            return reply.toString(StandardCharsets.US_ASCII).trim();
        }

        private void await(int operation, long timeout) throws IOException {
            SelectionKey key = channel.register(selector, operation);
            try {
                if (selector.select(timeout) == 0) {
                    throw new TimeoutException("clamd did not " + (operation == SelectionKey.OP_READ ? "answer" : "accept data")
                        + " within " + timeout + " ms");
                }
                selector.selectedKeys().clear();
            } finally {
                key.interestOps(0);
            }
        }

        @Override
        public void close() {
            try {
                selector.close();
            } catch (IOException e) {
                // nothing to do
            }
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
