package fr.mssante.operator.documents.antivirus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.documents.testing.ClamdProcess;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.testsupport.RequiredTools;

class ClamdClientTest {
    private static final byte[] EICAR = ClamdProcess.EICAR.getBytes(StandardCharsets.US_ASCII);

    /** Against a real clamd started by the test (skipped when clamav-daemon is not installed). */
    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class RealClamd {
        @TempDir
        static Path directory;
        static ClamdProcess clamd;

        @BeforeAll
        static void start() throws IOException {
            RequiredTools.require("clamd", "clamav-daemon");
            clamd = ClamdProcess.start(directory);
        }

        @AfterAll
        static void stop() {
            if (clamd != null) {
                clamd.stop();
            }
        }

        @Test
        @Order(1)
        void eicarIsInfectedOverTcp() {
            ClamdClient client = new ClamdClient(ClamdSettings.of(clamd.tcpAddress()));
            assertThat(client.ping()).isTrue();
            assertThat(client.version()).hasValueSatisfying(v -> assertThat(v).startsWith("ClamAV "));
            assertThat(client.scan(EICAR)).isEqualTo(new ScanResult.Infected(ClamdProcess.SIGNATURE + ".UNOFFICIAL"));
        }

        @Test
        @Order(2)
        void eicarIsInfectedOverTheUnixSocket() {
            ClamdClient client = new ClamdClient(ClamdSettings.of(clamd.unixAddress()));
            assertThat(client.ping()).isTrue();
            ScanResult result = client.scan(EICAR);
            assertThat(result).isInstanceOf(ScanResult.Infected.class);
            assertThat(((ScanResult.Infected) result).signature()).isEqualTo("Eicar-Test-Signature-MSS.UNOFFICIAL");
        }

        @Test
        @Order(3)
        void cleanContentInSmallChunks() {
            ClamdSettings small = ClamdSettings.of(clamd.tcpAddress());
            ClamdClient client = new ClamdClient(new ClamdSettings(small.address(), small.connectTimeout(), small.ioTimeout(), 1000,
                small.maxStreamBytes()));
            byte[] message = TestDocuments.bytes(TestDocuments.message("clean",
                TestDocuments.attachment(TestDocuments.pdf("clean"), "cr.pdf", "application/pdf")));
            assertThat(client.scan(message)).isEqualTo(new ScanResult.Clean());
            byte[] noise = new byte[3 * 1024 * 1024];
            new Random(11).nextBytes(noise);
            assertThat(client.scan(new ByteArrayInputStream(noise))).isEqualTo(new ScanResult.Clean());
        }

        @Test
        @Order(4)
        void tooLargeIsAnErrorNotUnavailable() {
            ClamdClient ours = new ClamdClient(ClamdSettings.of(clamd.tcpAddress()).withMaxStreamBytes(1024));
            ScanResult local = ours.scan(new byte[4096]);
            assertThat(local).isInstanceOf(ScanResult.Error.class);
            assertThat(((ScanResult.Error) local).reason()).isEqualTo(ScanResult.ErrorReason.TOO_LARGE);
            assertThat(local.retryable()).isFalse();
            // clamd's own StreamMaxLength (8M in ClamdProcess)
            ScanResult remote = new ClamdClient(ClamdSettings.of(clamd.tcpAddress())).scan(new byte[9 * 1024 * 1024]);
            assertThat(remote).isInstanceOf(ScanResult.Error.class);
            assertThat(((ScanResult.Error) remote).reason()).isEqualTo(ScanResult.ErrorReason.TOO_LARGE);
            assertThat(((ScanResult.Error) remote).detail()).contains("size limit exceeded");
        }

        @Test
        @Order(5)
        void stoppedClamdIsUnavailableThenBack() throws IOException {
            ClamdClient tcp = new ClamdClient(ClamdSettings.of(clamd.tcpAddress()));
            ClamdClient unix = new ClamdClient(ClamdSettings.of(clamd.unixAddress()));
            clamd.stop();
            ScanResult down = tcp.scan(EICAR);
            assertThat(down).isInstanceOf(ScanResult.Unavailable.class);
            assertThat(((ScanResult.Unavailable) down).reason()).isEqualTo(ScanResult.UnavailableReason.CONNECTION_REFUSED);
            assertThat(down.retryable()).isTrue();
            assertThat(unix.scan(EICAR)).isInstanceOf(ScanResult.Unavailable.class);
            assertThat(tcp.ping()).isFalse();
            clamd.restart();
            assertThat(tcp.scan(EICAR)).isInstanceOf(ScanResult.Infected.class);
        }
    }

    @Test
    void nothingListening() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ScanResult result = new ClamdClient(ClamdSettings.of("127.0.0.1:" + port)).scan(EICAR);
        assertThat(result).isInstanceOf(ScanResult.Unavailable.class);
        assertThat(((ScanResult.Unavailable) result).reason()).isEqualTo(ScanResult.UnavailableReason.CONNECTION_REFUSED);
        ScanResult noSocket = new ClamdClient(ClamdSettings.of("unix:/nonexistent/clamd.ctl")).scan(EICAR);
        assertThat(((ScanResult.Unavailable) noSocket).reason()).isEqualTo(ScanResult.UnavailableReason.CONNECTION_REFUSED);
    }

    /** A peer that accepts (in the kernel backlog) but never answers: the wait is bounded. */
    @Test
    void silentPeerTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0)) {
            ClamdSettings settings = ClamdSettings.of("127.0.0.1:" + silent.getLocalPort())
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300));
            long started = System.nanoTime();
            ScanResult result = new ClamdClient(settings).scan(EICAR);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(result).isInstanceOf(ScanResult.Unavailable.class);
            assertThat(((ScanResult.Unavailable) result).reason()).isEqualTo(ScanResult.UnavailableReason.TIMEOUT);
            assertThat(millis).isBetween(250L, 5_000L);
        }
    }

    /** A peer that closes the connection without a word. */
    @Test
    void peerClosingIsConnectionLost() throws Exception {
        try (ServerSocket rude = new ServerSocket(0)) {
            Thread closer = new Thread(() -> {
                try (Socket socket = rude.accept(); InputStream in = socket.getInputStream()) {
                    in.readNBytes(10);
                } catch (IOException e) {
                    // the test sees the effect
                }
            });
            closer.start();
            ScanResult result = new ClamdClient(ClamdSettings.of("127.0.0.1:" + rude.getLocalPort())).scan(EICAR);
            closer.join(10_000);
            assertThat(result).isInstanceOf(ScanResult.Unavailable.class);
            assertThat(((ScanResult.Unavailable) result).reason()).isEqualTo(ScanResult.UnavailableReason.CONNECTION_LOST);
        }
    }

    @Test
    void unreadableInputIsAnError() throws IOException {
        try (ServerSocket sink = new ServerSocket(0)) {
            InputStream broken = new InputStream() {
                @Override
                public int read() throws IOException {
                    throw new IOException("disk gone");
                }
            };
            ScanResult result = new ClamdClient(ClamdSettings.of("127.0.0.1:" + sink.getLocalPort())).scan(broken);
            assertThat(((ScanResult.Error) result).reason()).isEqualTo(ScanResult.ErrorReason.INPUT_UNREADABLE);
        }
    }

    @Test
    void replies() {
        assertThat(ClamdClient.interpret("stream: OK")).isEqualTo(new ScanResult.Clean());
        assertThat(ClamdClient.interpret("stream: Win.Test.EICAR_HDB-1 FOUND")).isEqualTo(new ScanResult.Infected("Win.Test.EICAR_HDB-1"));
        assertThat(((ScanResult.Error) ClamdClient.interpret("INSTREAM size limit exceeded. ERROR")).reason())
            .isEqualTo(ScanResult.ErrorReason.TOO_LARGE);
        assertThat(((ScanResult.Error) ClamdClient.interpret("stream: Can't allocate memory ERROR")).reason())
            .isEqualTo(ScanResult.ErrorReason.CLAMD_ERROR);
        assertThat(((ScanResult.Error) ClamdClient.interpret("UNKNOWN COMMAND")).reason()).isEqualTo(ScanResult.ErrorReason.PROTOCOL);
        assertThat(((ScanResult.Unavailable) ClamdClient.interpret("")).reason()).isEqualTo(ScanResult.UnavailableReason.CONNECTION_LOST);
    }

    @Test
    void addresses() {
        assertThat(ClamdAddress.parse("127.0.0.1:3310")).isEqualTo(new ClamdAddress.Tcp("127.0.0.1", 3310));
        assertThat(ClamdAddress.parse("[::1]:3310")).isEqualTo(new ClamdAddress.Tcp("::1", 3310));
        assertThat(ClamdAddress.parse("unix:/run/clamav/clamd.ctl")).isEqualTo(new ClamdAddress.Unix(Path.of("/run/clamav/clamd.ctl")));
        assertThatThrownBy(() -> ClamdAddress.parse("clamd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClamdAddress.parse("host:port")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClamdAddress.parse("unix:")).isInstanceOf(IllegalArgumentException.class);
    }
}
