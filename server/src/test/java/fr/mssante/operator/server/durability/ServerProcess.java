package fr.mssante.operator.server.durability;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import fr.mssante.operator.server.testing.TestServer;

/**
 * The packaged server ({@code target/dist}) run as a separate JVM, exactly as {@code ./mss up} runs it, so that a test
 * can {@code kill -9} it. Ports are chosen free before start and passed as MSS_* environment variables.
 */
final class ServerProcess {
    final Path workingDirectory;
    final Map<String, Integer> ports;
    private Process process;

    ServerProcess(Path workingDirectory) throws IOException {
        this.workingDirectory = workingDirectory;
        // every port the server may open: none may collide with another test or a developer's ./mss up
        this.ports = Map.ofEntries(
            Map.entry("MSS_SMTP_MX_PORT", freePort()), Map.entry("MSS_SUBMISSION_PORT", freePort()),
            Map.entry("MSS_SUBMISSIONS_PORT", freePort()), Map.entry("MSS_IMAP_PORT", freePort()),
            Map.entry("MSS_IMAPS_PORT", freePort()), Map.entry("MSS_WEBADMIN_PORT", freePort()),
            Map.entry("MSS_DB_EMBEDDED_PORT", freePort()), Map.entry("MSS_LDAP_PORT", freePort()),
            Map.entry("MSS_LDAPS_PORT", freePort()), Map.entry("MSS_OIDC_DEV_PORT", freePort()),
            Map.entry("MSS_AUTOCONFIG_PORT", freePort()), Map.entry("MSS_DMP_STANDIN_PORT", freePort()));
        if (!Files.exists(workingDirectory.resolve("conf"))) {
            TestServer.copyReferenceConfiguration(workingDirectory.resolve("conf"));
        }
    }

    void start() throws IOException {
        Path dist = Path.of("target", "dist").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
            "-Dworking.directory=" + workingDirectory,
            "-Dlogback.configurationFile=" + workingDirectory.resolve("conf/logback.xml"),
            "-cp", dist.resolve("mss-server.jar") + ":" + dist.resolve("lib") + "/*",
            "fr.mssante.operator.server.MssServer"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(workingDirectory.resolve("server.log").toFile()));
        ports.forEach((name, port) -> builder.environment().put(name, String.valueOf(port)));
        process = builder.start();
        Path ready = workingDirectory.resolve("var/run/server.ready");
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Server exited during start-up, see " + workingDirectory.resolve("server.log"));
            }
            return Files.exists(ready) && Files.readString(ready, StandardCharsets.US_ASCII).trim().equals(String.valueOf(process.pid()));
        });
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    int port(String variable) {
        return ports.get(variable);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
