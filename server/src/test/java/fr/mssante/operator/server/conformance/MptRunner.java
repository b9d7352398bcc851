package fr.mssante.operator.server.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Replays an {@link MptScript} against a running IMAP server over implicit TLS, one connection per script session,
 * and fails on the first server line that does not match (with the script location, the last client line and the
 * lines exchanged so far).
 */
final class MptRunner {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final int port;
    private final SSLContext tls;
    private final String sourceAddress;

    MptRunner(int port, SSLContext tls, String sourceAddress) {
        this.port = port;
        this.tls = tls;
        this.sourceAddress = sourceAddress;
    }

    static final class ScriptFailure extends AssertionError {
        ScriptFailure(String message) {
            super(message);
        }
    }

    private static final class Connection implements AutoCloseable {
        private final SSLSocket socket;
        private final InputStream in;
        private final OutputStream out;
        private final List<String> transcript;
        private String lastClientLine = "";

        Connection(SSLSocket socket, List<String> transcript) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            this.transcript = transcript;
        }

        void write(int session, String line) throws IOException {
            transcript.add(session + " C: " + line);
            lastClientLine = line;
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The next line without its CRLF, or null at the end of the stream. */
        String read(int session) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int previous = -1;
            while (true) {
                int b;
                try {
                    b = in.read();
                } catch (SocketTimeoutException e) {
                    transcript.add(session + " S: <timeout>");
                    return null;
                } catch (IOException e) {
                    transcript.add(session + " S: <" + e.getMessage() + ">");
                    return null;
                }
                if (b == -1) {
                    transcript.add(session + " S: <connection closed>");
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                if (b == '\n' && previous == '\r') {
                    byte[] bytes = line.toByteArray();
                    String text = new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                    transcript.add(session + " S: " + text);
                    return text;
                }
                line.write(b);
                previous = b;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    void run(MptScript script) throws Exception {
        List<String> transcript = new ArrayList<>();
        List<Connection> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < script.sessionCount(); i++) {
                sessions.add(connect(transcript));
            }
            for (MptScript.Step step : script.steps()) {
                for (int session : targets(step, sessions.size())) {
                    play(step, session, sessions.get(session), transcript);
                }
            }
            if (Boolean.getBoolean("mpt.transcript")) {
                System.out.println("=== " + script.name() + "\n" + String.join("\n", transcript));
            }
        } catch (ScriptFailure failure) {
            throw new ScriptFailure(failure.getMessage() + "\n--- transcript (session C:/S:) ---\n"
                + String.join("\n", transcript.subList(Math.max(0, transcript.size() - 60), transcript.size())));
        } finally {
            for (Connection connection : sessions) {
                connection.close();
            }
        }
    }

    private static int[] targets(MptScript.Step step, int sessionCount) {
        if (step.session() >= 0) {
            return new int[] {step.session()};
        }
        int[] all = new int[sessionCount];
        for (int i = 0; i < sessionCount; i++) {
            all[i] = i;
        }
        return all;
    }

    private void play(MptScript.Step step, int session, Connection connection, List<String> transcript) throws IOException {
        if (step instanceof MptScript.Client client) {
            connection.write(session, client.line());
        } else if (step instanceof MptScript.Server server) {
            {
                String actual = connection.read(session);
                if (actual == null || !Pattern.matches(server.pattern(), actual)) {
                    throw new ScriptFailure(server.location() + " (session " + session + ")\nlast client line: "
                        + connection.lastClientLine + "\nexpected: " + server.pattern() + "\nactual:   " + actual);
                }
            }
        } else if (step instanceof MptScript.Unordered unordered) {
            {
                List<String> expected = new ArrayList<>(unordered.patterns());
                while (!expected.isEmpty()) {
                    String actual = connection.read(session);
                    String match = actual == null ? null
                        : expected.stream().filter(pattern -> Pattern.matches(pattern, actual)).findFirst().orElse(null);
                    if (match == null) {
                        throw new ScriptFailure(unordered.location() + " (session " + session + ")\nlast client line: "
                            + connection.lastClientLine + "\nexpected one of: " + expected + "\nactual:   " + actual);
                    }
                    expected.remove(match);
                }
            }
        } else if (step instanceof MptScript.Continuation) {
            {
                String actual = connection.read(session);
                if (actual == null || !actual.startsWith("+")) {
                    throw new ScriptFailure("continuation expected (session " + session + ")\nlast client line: "
                        + connection.lastClientLine + "\nactual:   " + actual);
                }
            }
        }
        // MptScript.Await: the in-VM event bus delivers synchronously, nothing to wait for
    }

    private Connection connect(List<String> transcript) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port,
            InetAddress.getByName(sourceAddress), 0);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.startHandshake();
        return new Connection(socket, transcript);
    }
}
