package fr.mssante.operator.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import fr.mssante.operator.extensions.antivirus.ClamdVirusScanner;

/**
 * A real clamd (Debian's clamav-daemon) for tests, without signature downloads: its own database directory holds
 * a hash signature of the EICAR test file only (see ../shared/notes/test-tools.md), TCP on a free loopback port.
 */
public final class ClamdProcess implements AutoCloseable {
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    public static final String SIGNATURE = "Eicar-Test-Signature-MSS";

    private final Path directory;
    private final int port;
    private Process process;

    private ClamdProcess(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/usr/sbin/clamd")) || Files.isExecutable(Path.of("/usr/bin/clamd"));
    }

    public static ClamdProcess start(Path directory) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ClamdProcess clamd = new ClamdProcess(directory, port);
        clamd.writeConfiguration();
        clamd.restart();
        return clamd;
    }

    private void writeConfiguration() throws Exception {
        Path database = Files.createDirectories(directory.resolve("db"));
        byte[] eicar = EICAR.getBytes(StandardCharsets.US_ASCII);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(eicar));
        Files.writeString(database.resolve("test.hdb"), md5 + ":" + eicar.length + ":" + SIGNATURE + "\n");
        Files.writeString(directory.resolve("clamd.conf"), String.join("\n",
            "DatabaseDirectory " + database,
            "TCPSocket " + port,
            "TCPAddr 127.0.0.1",
            "Foreground yes",
            "LogFile " + directory.resolve("clamd.log"),
            "PidFile " + directory.resolve("clamd.pid"),
            "TemporaryDirectory " + Files.createDirectories(directory.resolve("tmp")),
            "StreamMaxLength 64M",
            "") );
    }

    /** Starts (again, on the same port) and waits for PONG. */
    public void restart() throws IOException {
        String binary = Files.isExecutable(Path.of("/usr/sbin/clamd")) ? "/usr/sbin/clamd" : "/usr/bin/clamd";
        process = new ProcessBuilder(binary, "-c", directory.resolve("clamd.conf").toString())
            .redirectErrorStream(true).redirectOutput(directory.resolve("clamd.out").toFile()).start();
        ClamdVirusScanner scanner = new ClamdVirusScanner(address(), Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(scanner::ping);
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
