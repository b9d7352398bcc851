package fr.mssante.operator.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.tls.ClientCertificateRequestingImapServer;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Issue 12, defects 6 and 13 (network layer): unbounded input before and after authentication, connections per
 * source address, nesting. Raw sockets against a server of its own (limits lowered: 10 connections per address,
 * 1 MiB literals once authenticated).
 */
class NetworkLimitsTest {
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("mss-limits-"), Map.of(
            "mss.imap.connectionsPerAddress", "10",
            "mss.smtp.connectionsPerAddress", "10",
            "mss.message.maxSize", "1M"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A raw line-based connection. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Raw(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(15_000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            this.out = socket.getOutputStream();
        }

        static Raw plain(int port, String from) throws IOException {
            return new Raw(new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0));
        }

        static Raw imaps(int port) throws Exception {
            SSLSocket socket = (SSLSocket) server.clientTls().getSocketFactory().createSocket("127.0.0.1", port);
            socket.startHandshake();
            return new Raw(socket);
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Lines up to the one starting with {@code prefix} (included), or to the end of the connection. */
        List<String> until(String prefix) throws IOException {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (line.startsWith(prefix)) {
                    break;
                }
            }
            return lines;
        }

        /** The first line, or null when the server closed the connection (or reset it) without a word. */
        String firstLineOrNull() throws IOException {
            try {
                return in.readLine();
            } catch (java.net.SocketException e) {
                return null;
            }
        }

        boolean closedByServer() throws IOException {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("+")) {
                        return false;
                    }
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static void login(Raw imap, String user) throws IOException {
        imap.until("* OK");
        imap.send("l1 LOGIN \"" + user + "\" \"" + server.password(user) + "\"\r\n");
        assertThat(imap.until("l1 ")).last().asString().startsWith("l1 OK");
    }

    @Test
    void aHundredMegabyteLiteralBeforeLoginIsRefusedWithoutContinuation() throws Exception {
        try (Raw imap = Raw.plain(server.port(ListeningPorts.IMAP), "127.0.0.1")) {
            assertThat(imap.in.readLine()).startsWith("* OK");
            imap.send("a1 LOGIN {104857600}\r\n");
            String reply = imap.in.readLine();
            assertThat(reply).doesNotStartWith("+").startsWith("a1 BAD [TOOBIG]").contains("8192");
            assertThat(imap.closedByServer()).isTrue();
        }
        try (Raw imap = Raw.plain(server.port(ListeningPorts.IMAP), "127.0.0.1")) {
            imap.in.readLine();
            // non-synchronising (RFC 7888): the client is already sending; refused and closed as well
            imap.send("a1 LOGIN alice {9000+}\r\n" + "x".repeat(9000) + "\r\n");
            assertThat(imap.in.readLine()).startsWith("a1 BAD [TOOBIG]");
            assertThat(imap.closedByServer()).isTrue();
        }
    }

    @Test
    void aLiteralOverTheLimitAfterLoginIsRefusedBeforeContinuationAndTheSessionGoesOn() throws Exception {
        try (Raw imap = Raw.imaps(server.port(ListeningPorts.IMAPS))) {
            login(imap, ALICE);
            imap.send("a2 SELECT INBOX\r\n");
            assertThat(imap.until("a2 ")).last().asString().startsWith("a2 OK");
            imap.send("a3 SEARCH TEXT {2000000}\r\n");
            String reply = imap.in.readLine();
            assertThat(reply).startsWith("a3 BAD [TOOBIG]")
                .contains(Integer.toString(1024 * 1024 + ClientCertificateRequestingImapServer.COMMAND_HEADROOM));
            imap.send("a4 NOOP\r\n");
            assertThat(imap.until("a4 ")).last().asString().startsWith("a4 OK");
            // within the limit a literal is still answered with a continuation
            imap.send("a5 SEARCH TEXT {5}\r\n");
            assertThat(imap.in.readLine()).startsWith("+");
            imap.send("hello\r\n");
            assertThat(imap.until("a5 ")).last().asString().startsWith("a5 OK");
        }
    }

    @Test
    void deeplyNestedListsGetBadNotACrash() throws Exception {
        try (Raw imap = Raw.imaps(server.port(ListeningPorts.IMAPS))) {
            login(imap, ALICE);
            imap.send("n1 SELECT INBOX\r\n");
            assertThat(imap.until("n1 ")).last().asString().startsWith("n1 OK");
            imap.send("n2 SEARCH " + "(".repeat(5000) + "ALL" + ")".repeat(5000) + "\r\n");
            assertThat(imap.until("n2 ")).last().asString().startsWith("n2 BAD [LIMIT]");
            imap.send("n3 SEARCH " + "NOT ".repeat(8000) + "ALL\r\n");
            assertThat(imap.until("n3 ")).last().asString().startsWith("n3 BAD [LIMIT]");
            imap.send("n4 NOOP\r\n");
            assertThat(imap.until("n4 ")).last().asString().startsWith("n4 OK");
        }
    }

    @Test
    void theEleventhImapConnectionFromOneAddressIsRefusedWhileAnotherAddressConnects() throws Exception {
        assertEleventhRefused(server.port(ListeningPorts.IMAP), "* OK");
    }

    @Test
    void theEleventhSmtpConnectionFromOneAddressIsRefusedWhileAnotherAddressConnects() throws Exception {
        assertEleventhRefused(server.port(ListeningPorts.SUBMISSION), "220");
    }

    private static void assertEleventhRefused(int port, String greeting) throws Exception {
        List<Raw> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Raw connection = Raw.plain(port, "127.0.0.1");
                open.add(connection);
                assertThat(connection.in.readLine()).startsWith(greeting);
            }
            try (Raw eleventh = Raw.plain(port, "127.0.0.1")) {
                assertThat(eleventh.firstLineOrNull()).as("11th connection from 127.0.0.1").isNull();
            }
            try (Raw other = Raw.plain(port, "127.0.0.2")) {
                assertThat(other.in.readLine()).as("a connection from 127.0.0.2").startsWith(greeting);
            }
        } finally {
            for (Raw connection : open) {
                connection.close();
            }
        }
    }

    /** Issue 18: without MSS_PROXY_PROTOCOL a PROXY header is an unknown command (IMAP: BYE), and names nobody. */
    @Test
    void aProxyHeaderIsNotBelievedWhenTheProtocolIsOff() throws Exception {
        try (Raw smtp = Raw.plain(server.port(ListeningPorts.SUBMISSION), "127.0.0.1")) {
            assertThat(smtp.in.readLine()).startsWith("220");
            smtp.send("PROXY TCP4 192.0.2.7 127.0.0.1 40000 587\r\n");
            assertThat(smtp.in.readLine()).startsWith("5");
        }
        try (Raw imap = Raw.plain(server.port(ListeningPorts.IMAP), "127.0.0.1")) {
            assertThat(imap.in.readLine()).startsWith("* OK");
            imap.send("PROXY TCP4 192.0.2.7 127.0.0.1 40000 143\r\n");
            assertThat(imap.in.readLine()).satisfiesAnyOf(line -> assertThat(line).startsWith("PROXY BAD"),
                line -> assertThat(line).startsWith("* BYE"));
        }
    }

    @Test
    void aMessageOfTwoThousandNestedMultipartsIsRefusedAtSmtp() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SUBMISSION))) {
            smtp.reply();
            smtp.command("EHLO client.example");
            assertThat(smtp.startTls(server.clientTls())).startsWith("220");
            smtp.command("EHLO client.example");
            assertThat(smtp.authPlain(ALICE, server.password(ALICE))).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BRUNO + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.raw(nested(ALICE, BRUNO, 2000).getBytes(StandardCharsets.US_ASCII));
            assertThat(smtp.command(".")).startsWith("554").contains("5.6.0").contains("nested too deeply");
            // an ordinary message still goes through on the same session
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BRUNO + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.raw(nested(ALICE, BRUNO, 3).getBytes(StandardCharsets.US_ASCII));
            assertThat(smtp.command(".")).startsWith("250");
        }
    }

    @Test
    void starttlsAuthenticateAndIdleStillWorkThroughTheLimitedDecoder() throws Exception {
        try (Raw plain = Raw.plain(server.port(ListeningPorts.IMAP), "127.0.0.1")) {
            assertThat(plain.in.readLine()).startsWith("* OK");
            plain.send("s1 STARTTLS\r\n");
            assertThat(plain.until("s1 ")).last().asString().startsWith("s1 OK");
            SSLSocket tls = (SSLSocket) server.clientTls().getSocketFactory()
                .createSocket(plain.socket, "127.0.0.1", plain.socket.getPort(), true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            try (Raw imap = new Raw(tls)) {
                String credentials = Base64.getEncoder().encodeToString(("\0" + ALICE + "\0" + server.password(ALICE))
                    .getBytes(StandardCharsets.UTF_8));
                imap.send("s2 AUTHENTICATE PLAIN\r\n");
                assertThat(imap.in.readLine()).startsWith("+");
                imap.send(credentials + "\r\n");
                assertThat(imap.until("s2 ")).last().asString().startsWith("s2 OK");
                imap.send("s3 SELECT INBOX\r\n");
                assertThat(imap.until("s3 ")).last().asString().startsWith("s3 OK");
                imap.send("s4 IDLE\r\n");
                assertThat(imap.in.readLine()).startsWith("+");
                imap.send("DONE\r\n");
                assertThat(imap.until("s4 ")).last().asString().startsWith("s4 OK");
            }
        }
    }

    @Test
    void smtpBoundsALineBeforeAuthentication() throws Exception {
        // SMTP has no literal-like input: before AUTH only lines, which James's framer caps (8 KiB)
        try (Raw smtp = Raw.plain(server.port(ListeningPorts.SUBMISSION), "127.0.0.1")) {
            assertThat(smtp.in.readLine()).startsWith("220");
            smtp.send("EHLO " + "x".repeat(200_000) + "\r\n");
            assertThat(smtp.firstLineOrNull()).as("reply to an overlong line").satisfiesAnyOf(
                line -> assertThat(line).isNull(), line -> assertThat(line).startsWith("500"));
        }
    }

    @Test
    void aDeeplyNestedMessageStoredByAppendStillAnswersFetchBodystructure() throws Exception {
        try (Raw imap = Raw.imaps(server.port(ListeningPorts.IMAPS))) {
            login(imap, ALICE);
            String mailbox = "Deep" + System.nanoTime();
            imap.send("d1 CREATE " + mailbox + "\r\n");
            assertThat(imap.until("d1 ")).last().asString().startsWith("d1 OK");
            for (String message : List.of(nested(ALICE, BRUNO, 2), nested(ALICE, BRUNO, 2000))) {
                byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
                imap.send("d2 APPEND " + mailbox + " {" + bytes.length + "}\r\n");
                assertThat(imap.in.readLine()).startsWith("+");
                imap.send(message + "\r\n");
                assertThat(imap.until("d2 ")).last().asString().startsWith("d2 OK");
            }
            imap.send("d3 SELECT " + mailbox + "\r\n");
            assertThat(imap.until("d3 ")).last().asString().startsWith("d3 OK");
            imap.send("d4 FETCH 1:* BODYSTRUCTURE\r\n");
            List<String> reply = imap.until("d4 ");
            assertThat(reply).anyMatch(line -> line.startsWith("* 1 FETCH") && line.contains("BODYSTRUCTURE"));
            assertThat(reply).anyMatch(line -> line.startsWith("* NO [LIMIT]") && line.contains("UID 2"));
            assertThat(reply).last().asString().startsWith("d4 OK");
            imap.send("d5 FETCH 2 BODYSTRUCTURE\r\n");
            assertThat(imap.until("d5 ")).last().asString().startsWith("d5 NO");
            // the raw message is still there for the client
            imap.send("d6 FETCH 2 RFC822.SIZE\r\n");
            assertThat(imap.until("d6 ")).last().asString().startsWith("d6 OK");
            imap.send("d7 NOOP\r\n");
            assertThat(imap.until("d7 ")).last().asString().startsWith("d7 OK");
        }
    }

    static String nested(String from, String to, int levels) {
        StringBuilder message = new StringBuilder("From: " + from + "\r\nTo: " + to + "\r\nSubject: nested\r\n"
            + "Message-ID: <" + java.util.UUID.randomUUID() + "@client.example>\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < levels; i++) {
            message.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        message.append("Content-Type: text/plain\r\n\r\nhello\r\n");
        for (int i = levels - 1; i >= 0; i--) {
            message.append("--b").append(i).append("--\r\n");
        }
        return message.toString();
    }
}
