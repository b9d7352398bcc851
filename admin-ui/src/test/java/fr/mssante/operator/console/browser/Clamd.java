package fr.mssante.operator.console.browser;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import org.awaitility.Awaitility;

import fr.mssante.operator.webtestkit.PackagedServer;

/**
 * A real clamd (Debian {@code clamav-daemon}) for the quarantine scenario, without signature downloads: its database
 * holds one MD5 signature, of the EICAR test file (shared/notes/test-tools.md, "ClamAV without signature downloads").
 */
final class Clamd implements AutoCloseable {
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private final Process process;
    private final int port;

    private Clamd(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Clamd start(Path directory) throws Exception {
        Path binary = Files.isExecutable(Path.of("/usr/sbin/clamd")) ? Path.of("/usr/sbin/clamd") : Path.of("/usr/bin/clamd");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("clamd is required (apt-get install clamav-daemon)");
        }
        int port = PackagedServer.freePort();
        Path database = Files.createDirectories(directory.resolve("db"));
        byte[] eicar = EICAR.getBytes(StandardCharsets.US_ASCII);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(eicar));
        Files.writeString(database.resolve("test.hdb"), md5 + ":" + eicar.length + ":Eicar-Test-Signature-Console\n");
        Files.writeString(directory.resolve("clamd.conf"), String.join("\n", "DatabaseDirectory " + database,
            "TCPSocket " + port, "TCPAddr 127.0.0.1", "Foreground yes", "LogFile " + directory.resolve("clamd.log"),
            "TemporaryDirectory " + Files.createDirectories(directory.resolve("tmp")), ""));
        Process process = new ProcessBuilder(binary.toString(), "-c", directory.resolve("clamd.conf").toString())
            .redirectErrorStream(true).redirectOutput(directory.resolve("clamd.out").toFile()).start();
        Clamd clamd = new Clamd(process, port);
        Awaitility.await("clamd PONG").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("clamd exited: " + Files.readString(directory.resolve("clamd.out")));
            }
            return clamd.ping();
        });
        return clamd;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    private boolean ping() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII).equals("PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
