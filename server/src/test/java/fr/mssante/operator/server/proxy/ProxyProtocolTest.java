package fr.mssante.operator.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * Behind a TCP front (issue 18): with MSS_PROXY_PROTOCOL the SMTP and IMAP listeners take the client's address from
 * the front's PROXY header, so per-address limits, the login throttle, the audit trail and the Received header see the
 * client, not the front. Here the front is 127.0.0.1 (the only trusted address): raw sockets from it write the header
 * themselves and name any client; a real HAProxy ({@code send-proxy-v2}) in front of the server carries clients bound
 * to 127.0.0.2 and 127.0.0.3.
 */
class ProxyProtocolTest {
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    private static final String FRONT = "127.0.0.1";

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("mss-proxy-"), Map.of(
            "mss.proxy.protocol", "true",
            "mss.proxy.trusted", FRONT,
            "mss.smtp.connectionsPerAddress", "2",
            "mss.imap.connectionsPerAddress", "2",
            // one failed password blocks (that source, that login) for ten minutes
            "mss.login.freeFailures", "0",
            "mss.login.firstDelay", "PT10M"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- per-address limits ---------------------------------------------------------------------------------------

    @Test
    void eachClientNamedByTheFrontHasItsOwnSmtpConnectionLimit() throws Exception {
        assertThirdRefusedWhileAnotherClientConnects(server.port(ListeningPorts.SUBMISSION), "220", "192.0.2.1", "192.0.2.2");
    }

    @Test
    void eachClientNamedByTheFrontHasItsOwnImapConnectionLimit() throws Exception {
        assertThirdRefusedWhileAnotherClientConnects(server.port(ListeningPorts.IMAP), "* OK", "192.0.2.3", "192.0.2.4");
    }

    /** All four connections come from the front (127.0.0.1); the limit is 2 per client. */
    private static void assertThirdRefusedWhileAnotherClientConnects(int port, String greeting, String client,
                                                                     String other) throws Exception {
        List<Raw> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Raw connection = Raw.connect(FRONT, port, v2(client, 40000 + i, port));
                open.add(connection);
                assertThat(connection.line()).as("connection %d of %s", i + 1, client).startsWith(greeting);
            }
            try (Raw third = Raw.connect(FRONT, port, v2(client, 40002, port))) {
                assertThat(third.lineOrNull()).as("third connection of " + client).isNull();
            }
            try (Raw another = Raw.connect(FRONT, port, v1(other, 40003, port))) {
                assertThat(another.line()).as("first connection of " + other + " (v1 header)").startsWith(greeting);
            }
        } finally {
            for (Raw connection : open) {
                connection.close();
            }
        }
    }

    // ---- who may connect ------------------------------------------------------------------------------------------

    @Test
    void aHeaderFromAnAddressThatIsNotATrustedFrontIsRefused() throws Exception {
        for (int port : new int[] {server.port(ListeningPorts.SMTP_MX), server.port(ListeningPorts.IMAP)}) {
            try (Raw untrusted = Raw.connect("127.0.0.2", port, v2("192.0.2.9", 40010, port))) {
                assertThat(untrusted.lineOrNull()).as("greeting to 127.0.0.2 on port " + port).isNull();
            }
        }
    }

    @Test
    void aTrustedFrontMustSendTheHeaderFirst() throws Exception {
        int imap = server.port(ListeningPorts.IMAP);
        try (Raw noHeader = Raw.connect(FRONT, imap, "a1 CAPABILITY\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(noHeader.lineOrNull()).as("reply to a command instead of a header").isNull();
        }
        // a TLS hello instead of the header, on the implicit-TLS listener
        int imaps = server.port(ListeningPorts.IMAPS);
        try (Socket plain = new Socket(InetAddress.getByName("127.0.0.1"), imaps, InetAddress.getByName(FRONT), 0)) {
            plain.setSoTimeout(15_000);
            SSLSocket tls = (SSLSocket) server.clientTls().getSocketFactory().createSocket(plain, "127.0.0.1", imaps, true);
            org.assertj.core.api.Assertions.assertThatThrownBy(tls::startHandshake).isInstanceOf(IOException.class);
        }
        // a front that says nothing is cut off once the header is overdue (10 s)
        int submission = server.port(ListeningPorts.SUBMISSION);
        try (Raw silent = Raw.connect(FRONT, submission, new byte[0])) {
            silent.socket.setSoTimeout(20_000);
            long start = System.nanoTime();
            assertThat(silent.lineOrNull()).as("greeting without a header").isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(20));
        }
    }

    @Test
    void theFrontsOwnHealthCheckWithALocalHeaderIsGreeted() throws Exception {
        // HAProxy's "check" on a send-proxy-v2 server: a v2 header with the LOCAL command and no address
        byte[] local = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00};
        int mx = server.port(ListeningPorts.SMTP_MX);
        try (Raw check = Raw.connect(FRONT, mx, local)) {
            assertThat(check.line()).startsWith("220");
        }
    }

    // ---- what the client address reaches --------------------------------------------------------------------------

    @Test
    void theMxAuditsTheClientNamedByTheFrontAndStillChecksItsCertificateOverStartTls() throws Exception {
        long before = lastAuditId();
        int mx = server.port(ListeningPorts.SMTP_MX);
        try (Raw smtp = Raw.connect(FRONT, mx, v1("198.51.100.25", 41000, 25))) {
            assertThat(smtp.line()).startsWith("220");
            smtp.reply("EHLO mx.demo.mss.test");
            Raw tls = smtp.startTls(server.operatorTls());
            tls.reply("EHLO mx.demo.mss.test");
            assertThat(tls.reply("MAIL FROM:<>")).startsWith("250");
            assertThat(tls.reply("RCPT TO:<personne@" + DemoData.DOMAIN + ">")).startsWith("550");
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(auditRowsAfter(before, "SMTP_REFUSED")).singleElement().satisfies(row -> {
                assertThat(row.get("peer")).isEqualTo("198.51.100.25");
                assertThat(row.get("detail")).contains("peer certificate", "O=MSS DEVELOPMENT ONLY");
            }));
    }

    @Test
    void submissionOverImplicitTlsRecordsAndTracesTheClientNamedByTheFront() throws Exception {
        long before = lastAuditId();
        String subject = "proxied " + UUID.randomUUID();
        int submissions = server.port(ListeningPorts.SUBMISSIONS);
        try (Raw smtp = Raw.connect(FRONT, submissions, v2("203.0.113.80", 42000, 465)).tls(server.clientTls())) {
            assertThat(smtp.line()).startsWith("220");
            smtp.reply("EHLO client.example");
            assertThat(smtp.reply("AUTH PLAIN " + plain(ALICE, server.password(ALICE)))).startsWith("235");
            assertThat(smtp.reply("MAIL FROM:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.reply("RCPT TO:<" + BRUNO + ">")).startsWith("250");
            assertThat(smtp.reply("DATA")).startsWith("354");
            assertThat(smtp.reply("From: " + ALICE + "\r\nTo: " + BRUNO + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + UUID.randomUUID() + "@client.example>\r\n\r\nbonjour\r\n.")).startsWith("250");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(auditRowsAfter(before, "AUTH_SUCCESS")).singleElement()
                .satisfies(row -> assertThat(row.get("peer")).isEqualTo("203.0.113.80"));
            assertThat(auditRowsAfter(before, "RECEIVED")).singleElement()
                .satisfies(row -> assertThat(row.get("peer")).isEqualTo("203.0.113.80"));
        });
        // Bruno reads it through the front as well (IMAPS): its Received header names the client, not the front
        int imaps = server.port(ListeningPorts.IMAPS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Raw imap = Raw.connect(FRONT, imaps, v2("203.0.113.81", 42001, 993)).tls(server.clientTls())) {
                assertThat(imap.line()).startsWith("* OK");
                assertThat(imap.tagged("a1", "LOGIN \"" + BRUNO + "\" \"" + server.password(BRUNO) + "\"")).last()
                    .asString().startsWith("a1 OK");
                imap.tagged("a2", "SELECT INBOX");
                List<String> found = imap.tagged("a3", "UID SEARCH SUBJECT \"" + subject + "\"");
                String uid = found.stream().filter(line -> line.startsWith("* SEARCH ")).findFirst().orElseThrow()
                    .substring("* SEARCH ".length()).trim();
                assertThat(uid).matches("\\d+");
                List<String> headers = imap.tagged("a4", "UID FETCH " + uid + " BODY.PEEK[HEADER.FIELDS (RECEIVED)]");
                assertThat(String.join("\n", headers)).contains("[203.0.113.80]").doesNotContain("127.0.0.1");
            }
        });
    }

    @Test
    void theLoginThrottleBlocksOnlyTheClientThatFailed() throws Exception {
        int imaps = server.port(ListeningPorts.IMAPS);
        try (Raw attacker = Raw.connect(FRONT, imaps, v2("198.51.100.66", 43000, 993)).tls(server.clientTls())) {
            assertThat(attacker.line()).startsWith("* OK");
            assertThat(attacker.tagged("a1", "LOGIN \"" + BRUNO + "\" \"pas-le-bon\"")).last().asString().startsWith("a1 NO");
            // blocked now: even the right password is refused from this client
            assertThat(attacker.tagged("a2", "LOGIN \"" + BRUNO + "\" \"" + server.password(BRUNO) + "\"")).last()
                .asString().startsWith("a2 NO");
        }
        // another client behind the same front is not
        try (Raw holder = Raw.connect(FRONT, imaps, v2("198.51.100.67", 43001, 993)).tls(server.clientTls())) {
            assertThat(holder.line()).startsWith("* OK");
            assertThat(holder.tagged("b1", "LOGIN \"" + BRUNO + "\" \"" + server.password(BRUNO) + "\"")).last()
                .asString().startsWith("b1 OK");
        }
    }

    // ---- a real HAProxy in front ----------------------------------------------------------------------------------

    @Test
    void behindHaproxyEachLoopbackClientHasItsOwnLimitAndItsOwnAuditRow() throws Exception {
        Path haproxy = RequiredTools.require("haproxy");
        int submission = freePort();
        int imaps = freePort();
        Path config = server.workingDirectory().resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
            "defaults",
            "    mode tcp",
            "    timeout connect 5s",
            "    timeout client 60s",
            "    timeout server 60s",
            "frontend submission",
            "    bind 127.0.0.1:" + submission,
            "    default_backend submission",
            "backend submission",
            "    server node-1 127.0.0.1:" + server.port(ListeningPorts.SUBMISSION) + " send-proxy-v2",
            "frontend imaps",
            "    bind 127.0.0.1:" + imaps,
            "    default_backend imaps",
            "backend imaps",
            "    server node-1 127.0.0.1:" + server.port(ListeningPorts.IMAPS) + " send-proxy-v2",
            ""));
        Process front = new ProcessBuilder(haproxy.toString(), "-db", "-f", config.toString())
            .redirectErrorStream(true).redirectOutput(server.workingDirectory().resolve("haproxy.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> listening(submission) && listening(imaps));
            long before = lastAuditId();
            List<Raw> open = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Raw connection = Raw.connect("127.0.0.2", submission, new byte[0]);
                    open.add(connection);
                    assertThat(connection.line()).as("connection %d from 127.0.0.2 through HAProxy", i + 1).startsWith("220");
                }
                try (Raw third = Raw.connect("127.0.0.2", submission, new byte[0])) {
                    assertThat(third.lineOrNull()).as("third connection from 127.0.0.2 through HAProxy").isNull();
                }
                // 127.0.0.3 has its own limit: it submits, with STARTTLS passed through by the front
                try (Raw smtp = Raw.connect("127.0.0.3", submission, new byte[0])) {
                    assertThat(smtp.line()).startsWith("220");
                    smtp.reply("EHLO client.example");
                    Raw tls = smtp.startTls(server.clientTls());
                    tls.reply("EHLO client.example");
                    assertThat(tls.reply("AUTH PLAIN " + plain(ALICE, server.password(ALICE)))).startsWith("235");
                    assertThat(tls.reply("MAIL FROM:<" + ALICE + ">")).startsWith("250");
                    assertThat(tls.reply("RCPT TO:<" + BRUNO + ">")).startsWith("250");
                    assertThat(tls.reply("DATA")).startsWith("354");
                    assertThat(tls.reply("From: " + ALICE + "\r\nTo: " + BRUNO + "\r\nSubject: via haproxy\r\nMessage-ID: <"
                        + UUID.randomUUID() + "@client.example>\r\n\r\nbonjour\r\n.")).startsWith("250");
                }
            } finally {
                for (Raw connection : open) {
                    connection.close();
                }
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(auditRowsAfter(before, "RECEIVED")).singleElement()
                    .satisfies(row -> assertThat(row.get("peer")).isEqualTo("127.0.0.3")));
            // implicit TLS passes through the front too; the failed login is recorded against 127.0.0.2
            long beforeLogin = lastAuditId();
            try (Raw imap = Raw.connect("127.0.0.2", imaps, new byte[0]).tls(server.clientTls())) {
                assertThat(imap.line()).startsWith("* OK");
                assertThat(imap.tagged("h1", "LOGIN \"" + ALICE + "\" \"" + server.password(ALICE) + "\"")).last()
                    .asString().startsWith("h1 OK");
                assertThat(imap.tagged("h2", "LOGOUT")).last().asString().startsWith("h2 OK");
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(auditRowsAfter(beforeLogin, "AUTH_SUCCESS")).singleElement()
                    .satisfies(row -> assertThat(row.get("peer")).isEqualTo("127.0.0.2")));
        } finally {
            front.destroy();
            front.waitFor();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** A PROXY protocol v2 header (binary, TCP over IPv4), as HAProxy's {@code send-proxy-v2} writes it. */
    static byte[] v2(String source, int sourcePort, int destinationPort) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(16 + 12);
        header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        header.put((byte) 0x21); // version 2, PROXY
        header.put((byte) 0x11); // AF_INET, STREAM
        header.putShort((short) 12);
        header.put(InetAddress.getByName(source).getAddress());
        header.put(InetAddress.getByName("127.0.0.1").getAddress());
        header.putShort((short) sourcePort);
        header.putShort((short) destinationPort);
        return header.array();
    }

    /** A PROXY protocol v1 header (text), as HAProxy's {@code send-proxy} writes it. */
    static byte[] v1(String source, int sourcePort, int destinationPort) {
        return ("PROXY TCP4 " + source + " 127.0.0.1 " + sourcePort + " " + destinationPort + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long lastAuditId() throws Exception {
        try (Connection c = server.runtime().database().dataSource().getConnection();
             PreparedStatement query = c.prepareStatement("SELECT coalesce(max(id), 0) FROM mss.message_event");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static List<Map<String, String>> auditRowsAfter(long afterId, String event) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = server.runtime().database().dataSource().getConnection();
             PreparedStatement query = c.prepareStatement(
                 "SELECT peer, detail FROM mss.message_event WHERE id > ? AND event = ? ORDER BY id")) {
            query.setLong(1, afterId);
            query.setString(2, event);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(Map.of("peer", String.valueOf(result.getString(1)), "detail", String.valueOf(result.getString(2))));
                }
            }
        }
        return rows;
    }

    /** A line-based connection from a chosen loopback address, opened with raw bytes (a PROXY header, or not). */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        private Raw(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(15_000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            this.out = socket.getOutputStream();
        }

        static Raw connect(String from, int port, byte[] first) throws IOException {
            Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0);
            socket.getOutputStream().write(first);
            socket.getOutputStream().flush();
            return new Raw(socket);
        }

        /** TLS from the first byte after the header (implicit TLS: submissions, IMAPS). */
        Raw tls(SSLContext context) throws IOException {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
            tls.setUseClientMode(true);
            tls.startHandshake();
            return new Raw(tls);
        }

        Raw startTls(SSLContext context) throws IOException {
            assertThat(reply("STARTTLS")).startsWith("220");
            return tls(context);
        }

        String line() throws IOException {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed by the server");
            }
            return line;
        }

        /** The first line, or null when the server closed the connection without a word. */
        String lineOrNull() throws IOException {
            try {
                return in.readLine();
            } catch (SocketException e) {
                return null;
            } catch (SocketTimeoutException e) {
                return "(still open after " + socket.getSoTimeout() + " ms)";
            }
        }

        /** An SMTP command and its whole reply (multi-line replies joined). */
        String reply(String command) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            StringBuilder reply = new StringBuilder();
            String line;
            do {
                line = line();
                reply.append(reply.length() == 0 ? "" : "\n").append(line);
            } while (line.length() > 3 && line.charAt(3) == '-');
            return reply.toString();
        }

        /** An IMAP command and every line up to its tagged reply. */
        List<String> tagged(String tag, String command) throws IOException {
            out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = line();
                lines.add(line);
            } while (!line.startsWith(tag + " "));
            return lines;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
