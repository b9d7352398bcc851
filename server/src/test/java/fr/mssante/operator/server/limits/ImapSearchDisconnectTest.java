package fr.mssante.operator.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.server.wiring.JpaMailboxModule;

/**
 * Issue 12, defect 12: a client that closes its connection while a long {@code SEARCH TEXT} runs used to leave the
 * Netty event loop and the search thread deadlocked in OpenJPA (the event loop closed the session's EntityManager
 * under the search); new IMAPS connections on that event loop then hung before the greeting and the server could not
 * stop. Defect 13: the search went on after its client had gone.
 */
class ImapSearchDisconnectTest {
    private static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    private static final int MESSAGES = 400;
    /** The deadlock was a race (about one round in three on 859fc49): several rounds. */
    private static final int ROUNDS = 6;

    @Test
    void closingConnectionsDuringLongSearchesLeavesNoDeadlockAndTheServerStops() throws Exception {
        // the scan (ADR 0002) is what runs long: TEXT/BODY from the index (ADR 0011) would answer at once
        TestServer server = TestServer.start(Files.createTempDirectory("mss-search-"), Map.of("mss.imap.searchIndex", "false"));
        boolean closed = false;
        try {
            int port = server.port(ListeningPorts.IMAPS);
            try (Imap seeding = Imap.open(server, port)) {
                seeding.login(BRUNO);
                seeding.command("s0 CREATE Archive");
                String body = "<html><body>" + "<p>Compte rendu de consultation, r\u00e9sultats normaux. </p>".repeat(2000)
                    + "</body></html>";
                for (int i = 0; i < MESSAGES; i++) {
                    String message = "From: labo@" + DemoData.DOMAIN + "\r\nTo: " + BRUNO + "\r\nSubject: resultat " + i
                        + "\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + body + "\r\n";
                    seeding.append("Archive", message.getBytes(StandardCharsets.UTF_8));
                }
            }

            String needle = "introuvable ".repeat(80_000); // ~1 MB, found nowhere
            JpaMailboxModule.SearchProbe searches = server.runtime().server().getProbe(JpaMailboxModule.SearchProbe.class);
            for (int round = 0; round < ROUNDS; round++) {
                long stoppedBefore = searches.stopped();
                Imap client = Imap.open(server, port);
                client.login(BRUNO);
                client.command("x1 SELECT Archive");
                client.sendLiteralCommand("x2 SEARCH TEXT", needle.getBytes(StandardCharsets.US_ASCII));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                    .until(ImapSearchDisconnectTest::searchRunning);
                client.close(); // the client gives up mid-search
                // the closed client's search stops (it used to go on, or deadlock): counted as stopped, no thread left in it
                await().atMost(Duration.ofSeconds(15)).until(() -> searches.stopped() == stoppedBefore + 1);
                await().atMost(Duration.ofSeconds(15)).until(() -> searches.running() == 0 && !searchRunning());
            }

            assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).as("deadlocked threads").isNull();
            // every event loop still greets: one new IMAPS connection in four used to hang before the greeting
            for (int i = 0; i < 12; i++) {
                CompletableFuture<String> greeting = CompletableFuture.supplyAsync(() -> {
                    try (Imap probe = Imap.open(server, port)) {
                        return probe.greeting;
                    } catch (Exception e) {
                        return "failed: " + e;
                    }
                });
                assertThat(greeting.get(10, TimeUnit.SECONDS)).startsWith("* OK");
            }
            // the server stops in bounded time whatever it is doing
            assertTimeoutPreemptively(Duration.ofSeconds(90), server::close, "server stop");
            closed = true;
        } finally {
            if (!closed) {
                // a failed run must not hang the test JVM on a stuck server
                Thread stopping = new Thread(server::close, "stop-after-failure");
                stopping.setDaemon(true);
                stopping.start();
            }
        }
    }

    private static boolean searchRunning() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
            .map(ThreadInfo::getStackTrace)
            .anyMatch(stack -> Arrays.stream(stack).anyMatch(frame -> frame.getClassName().endsWith(".MessageSearches")));
    }

    /** A minimal IMAPS client. */
    private static final class Imap implements AutoCloseable {
        private final SSLSocket socket;
        private final BufferedReader in;
        private final OutputStream out;
        private final TestServer server;
        final String greeting;
        private int tag;

        private Imap(TestServer server, SSLSocket socket) throws IOException {
            this.server = server;
            this.socket = socket;
            socket.setSoTimeout(60_000);
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.out = socket.getOutputStream();
            this.greeting = in.readLine();
        }

        static Imap open(TestServer server, int port) throws Exception {
            SSLSocket socket = (SSLSocket) server.clientTls().getSocketFactory().createSocket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return new Imap(server, socket);
        }

        void login(String user) throws IOException {
            command("l" + (++tag) + " LOGIN \"" + user + "\" \"" + server.password(user) + "\"");
        }

        String command(String line) throws IOException {
            String t = line.substring(0, line.indexOf(' '));
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return expectOk(t);
        }

        void append(String mailbox, byte[] message) throws IOException {
            String t = "a" + (++tag);
            out.write((t + " APPEND " + mailbox + " {" + message.length + "}\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line = in.readLine();
            assertThat(line).startsWith("+");
            out.write(message);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expectOk(t);
        }

        void sendLiteralCommand(String command, byte[] literal) throws IOException {
            out.write((command + " {" + literal.length + "}\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).startsWith("+");
            out.write(literal);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private String expectOk(String t) throws IOException {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(t + " ")) {
                    assertThat(line).startsWith(t + " OK");
                    return line;
                }
            }
            throw new IOException("connection closed before " + t + " completed");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
