package fr.mssante.operator.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;

/**
 * RFC 3501 §5.5: a server executes a client's commands in the order they arrive, and its responses come in that order
 * ({@code * BYE} before the connection closes, a FETCH literal inside its response). James 3.8.1 decoded every
 * pipelined command on arrival against the session state of that moment and ran it alongside the one in flight:
 * {@code c SELECT} sent with its {@code b LOGIN} was refused, a LOGOUT could lose its BYE, literals came out of place.
 * Raw sockets, so that nothing hides a fault; several rounds, since the faults were races.
 */
class ImapCommandOrderTest {
    private static final String USER = "claire.secretaire@" + DemoData.DOMAIN;
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");
    private static final Pattern UNTAGGED = Pattern.compile(
        "\\* (OK|NO|BAD|BYE|FLAGS|CAPABILITY|LIST|LSUB|STATUS|SEARCH|ENABLED|\\d+ (EXISTS|RECENT|EXPUNGE|FETCH \\(.*\\)))( .*)?");
    private static TestServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.shared();
        port = server.port(ListeningPorts.IMAPS);
    }

    @Test
    void commandsSentTogetherWithLoginRunInOrderAfterIt() throws Exception {
        for (int round = 0; round < 20; round++) {
            try (Raw imap = Raw.open(port)) {
                imap.send("b LOGIN \"" + USER + "\" \"" + server.password(USER) + "\"\r\nc SELECT INBOX\r\nd NOOP\r\n"
                    + "e LOGOUT\r\n");
                List<String> lines = imap.readToEnd();
                assertThat(tagged(lines)).as("round %d: %s", round, lines)
                    .containsExactly("b OK", "c OK", "d OK", "e OK");
                assertThat(lines.indexOf(lines.stream().filter(l -> l.startsWith("* BYE")).findFirst().orElse("none")))
                    .as("round %d: BYE before the LOGOUT's OK: %s", round, lines)
                    .isBetween(lines.indexOf(firstStarting(lines, "d OK")) + 1, lines.indexOf(firstStarting(lines, "e OK")) - 1);
            }
        }
    }

    @Test
    void aLogoutWithAMailboxSelectedIsAnsweredByeBeforeTheConnectionCloses() throws Exception {
        for (int round = 0; round < 30; round++) {
            try (Raw imap = Raw.open(port)) {
                imap.send("a LOGIN \"" + USER + "\" \"" + server.password(USER) + "\"\r\n");
                imap.readUntilTagged("a");
                imap.send("b SELECT INBOX\r\n");
                imap.readUntilTagged("b");
                imap.send("c LOGOUT\r\n");
                List<String> lines = imap.readToEnd();
                assertThat(lines).as("round %d", round).anyMatch(l -> l.startsWith("* BYE"));
                assertThat(tagged(lines)).as("round %d: %s", round, lines).containsExactly("c OK");
            }
        }
    }

    @Test
    void fetchedLiteralsStayInsideTheirResponseWhileMailArrives() throws Exception {
        String user = "laboratoire.resultats@" + DemoData.DOMAIN;
        String folder = "Ordre" + System.nanoTime();
        try (Raw writer = Raw.open(port); Raw reader = Raw.open(port)) {
            writer.send("a LOGIN \"" + user + "\" \"" + server.password(user) + "\"\r\na CREATE " + folder + "\r\n");
            writer.readUntilTagged("a");
            writer.readUntilTagged("a");
            reader.send("r LOGIN \"" + user + "\" \"" + server.password(user) + "\"\r\n");
            reader.readUntilTagged("r");
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> appending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; !stop.get() && i < 200; i++) {
                        byte[] message = ("From: a@" + DemoData.DOMAIN + "\r\nSubject: " + i + "\r\n\r\nligne " + i + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII);
                        // LITERAL+ : the command and its message in one write
                        writer.send("w" + i + " APPEND " + folder + " {" + message.length + "+}\r\n"
                            + new String(message, StandardCharsets.US_ASCII) + "\r\n");
                        assertThat(writer.readUntilTagged("w" + i)).last().asString().startsWith("w" + i + " OK");
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                reader.send("s SELECT " + folder + "\r\n");
                reader.readUntilTagged("s");
                for (int round = 0; round < 40; round++) {
                    // pipelined: NOOP (new mail), FETCH of every message's text, again
                    reader.send("n" + round + " NOOP\r\nf" + round + " FETCH 1:* (FLAGS BODY.PEEK[TEXT])\r\ng" + round
                        + " FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n");
                    List<String> responses = new ArrayList<>();
                    responses.addAll(reader.readUntilTagged("n" + round));
                    responses.addAll(reader.readUntilTagged("f" + round));
                    responses.addAll(reader.readUntilTagged("g" + round));
                    for (String response : responses) {
                        assertThat(response).as("round %d: %s", round, responses)
                            .matches(r -> UNTAGGED.matcher(r).matches() || r.matches("[nfg]" + "\\d+ (OK|NO) .*"));
                    }
                    assertThat(tagged(responses)).as("round %d: %s", round, responses).allMatch(t -> t.endsWith(" OK"));
                }
            } finally {
                stop.set(true);
                appending.join();
            }
        }
    }

    private static String firstStarting(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError(prefix + " missing: " + lines));
    }

    /** Tags and their status, in order. */
    private static List<String> tagged(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("*") && !l.startsWith("+"))
            .map(l -> l.split(" ", 3)).map(p -> p[0] + " " + (p.length > 1 ? p[1] : "")).toList();
    }

    /**
     * A raw IMAPS connection; a response with literals is read whole (the literal counted, its bytes kept in line), so
     * that a literal out of place or a line too many shows.
     */
    private static final class Raw implements AutoCloseable {
        private final SSLSocket socket;
        private final InputStream in;
        private final OutputStream out;

        private Raw(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
            String greeting = line();
            assertThat(greeting).startsWith("* OK");
        }

        static Raw open(int port) throws Exception {
            SSLSocket socket = (SSLSocket) server.clientTls().getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            return new Raw(socket);
        }

        synchronized void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        List<String> readUntilTagged(String tag) throws IOException {
            List<String> responses = new ArrayList<>();
            while (true) {
                String response = response();
                if (response == null) {
                    throw new AssertionError("connection closed before " + tag + ": " + responses);
                }
                responses.add(response);
                if (response.startsWith(tag + " ")) {
                    return responses;
                }
            }
        }

        List<String> readToEnd() throws IOException {
            List<String> responses = new ArrayList<>();
            String response;
            while ((response = response()) != null) {
                responses.add(response);
            }
            return responses;
        }

        /** One response: its lines and literals joined (literal bytes in place of their {n}), or null at the end. */
        private String response() throws IOException {
            String first = line();
            if (first == null) {
                return null;
            }
            StringBuilder whole = new StringBuilder();
            String current = first;
            while (true) {
                Matcher literal = LITERAL.matcher(current);
                if (!literal.find()) {
                    return whole.append(current).toString();
                }
                whole.append(current, 0, literal.start()).append('"');
                byte[] bytes = in.readNBytes(Integer.parseInt(literal.group(1)));
                whole.append(new String(bytes, StandardCharsets.US_ASCII).replace("\r\n", "\\r\\n")).append('"');
                current = line();
                if (current == null) {
                    throw new AssertionError("connection closed inside a response: " + whole);
                }
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.US_ASCII);
                }
                line.write(b);
            }
            return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
