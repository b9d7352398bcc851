package fr.mssante.operator.documents.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import fr.mssante.operator.documents.antivirus.ClamdClient;
import fr.mssante.operator.documents.antivirus.ClamdSettings;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * A real clamd (Debian's {@code clamav-daemon}) for tests, without signature downloads (shared/notes/test-tools.md,
 * "ClamAV without signature downloads"): its own {@code DatabaseDirectory} holds one MD5 hash signature, of the EICAR
 * test file, named {@value #SIGNATURE}; clamd listens on a free TCP port on 127.0.0.1 and on a Unix socket in the
 * given directory, in the foreground, as a child of the test JVM. {@link #start} waits (Awaitility) for {@code PONG}.
 * Published in the documents test-jar for the server's tests.
 *
 * <pre>{@code
 * RequiredTools.require("clamd", "clamav-daemon"); // or let start() do it
 * try (ClamdProcess clamd = ClamdProcess.start(tempDir)) {
 *     ClamdClient client = new ClamdClient(ClamdSettings.of(clamd.tcpAddress()));
 *     ...
 * }
 * }</pre>
 */
public final class ClamdProcess implements AutoCloseable {
    /** The EICAR anti-virus test file (not a virus: a string every scanner flags). */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    /** The name of the test signature; clamd reports it with the {@code .UNOFFICIAL} suffix for hash databases. */
    public static final String SIGNATURE = "Eicar-Test-Signature-MSS";

    private final Path directory;
    private final int port;
    private Process process;

    private ClamdProcess(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Writes the configuration and database into {@code directory}, starts clamd and waits for PONG. */
    public static ClamdProcess start(Path directory) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ClamdProcess clamd = new ClamdProcess(directory, port);
        clamd.writeConfiguration();
        clamd.restart();
        return clamd;
    }

    private void writeConfiguration() throws IOException {
        Path database = Files.createDirectories(directory.resolve("db"));
        byte[] eicar = EICAR.getBytes(StandardCharsets.US_ASCII);
        String md5;
        try {
            md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(eicar));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Files.writeString(database.resolve("test.hdb"), md5 + ":" + eicar.length + ":" + SIGNATURE + "\n");
        Files.writeString(directory.resolve("clamd.conf"), String.join("\n",
            "DatabaseDirectory " + database,
            "TCPSocket " + port,
            "TCPAddr 127.0.0.1",
            "LocalSocket " + unixSocket(),
            "Foreground yes",
            "LogFile " + directory.resolve("clamd.log"),
            "PidFile " + directory.resolve("clamd.pid"),
            "TemporaryDirectory " + Files.createDirectories(directory.resolve("tmp")),
            "StreamMaxLength 8M",
            ""));
    }

    /** Starts clamd (again, on the same port and socket) and waits until it answers PONG. */
    public void restart() throws IOException {
        String binary = RequiredTools.require("clamd", "clamav-daemon").toString();
        Files.deleteIfExists(unixSocket());
        process = new ProcessBuilder(binary, "-c", directory.resolve("clamd.conf").toString())
            .redirectErrorStream(true).redirectOutput(directory.resolve("clamd.out").toFile()).start();
        ClamdClient client = new ClamdClient(ClamdSettings.of(tcpAddress()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)));
        await("clamd PONG").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
            .until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("clamd exited: " + Files.readString(directory.resolve("clamd.out")));
                }
                return client.ping();
            });
    }

    /** Stops clamd (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String tcpAddress() {
        return "127.0.0.1:" + port;
    }

    /** {@code unix:<directory>/clamd.sock}. */
    public String unixAddress() {
        return "unix:" + unixSocket();
    }

    public int port() {
        return port;
    }

    private Path unixSocket() {
        return directory.resolve("clamd.sock");
    }

    @Override
    public void close() {
        stop();
    }
}
