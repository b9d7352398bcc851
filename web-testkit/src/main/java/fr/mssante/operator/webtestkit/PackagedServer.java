package fr.mssante.operator.webtestkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

/**
 * The packaged mail server ({@code server/target/dist}) run as a separate JVM, exactly as {@code ./mss up} runs it,
 * in its own working directory (its own embedded PostgreSQL, development PKI and demo data under {@code var/}). Every
 * port is chosen free before start and passed as an MSS_* environment variable, so that tests never collide with one
 * another or with a developer's {@code ./mss up}. The web applications' browser tests use it: they know the server
 * only by its interfaces (WebAdmin, IMAP, submission), as in production.
 *
 * <p>The server module must be packaged first: the web modules come after {@code server} in the reactor.
 */
public final class PackagedServer implements AutoCloseable {
    /** Every port the server may open. */
    public static final List<String> PORT_VARIABLES = List.of(
        "MSS_SMTP_MX_PORT", "MSS_SUBMISSION_PORT", "MSS_SUBMISSIONS_PORT", "MSS_IMAP_PORT", "MSS_IMAPS_PORT",
        "MSS_WEBADMIN_PORT", "MSS_DB_EMBEDDED_PORT", "MSS_LDAP_PORT", "MSS_LDAPS_PORT", "MSS_OIDC_DEV_PORT",
        "MSS_AUTOCONFIG_PORT", "MSS_DMP_STANDIN_PORT");

    private final Path projectRoot;
    private final Path workingDirectory;
    private final Map<String, String> environment = new HashMap<>();
    private Process process;

    private PackagedServer(Path projectRoot, Path workingDirectory) {
        this.projectRoot = projectRoot;
        this.workingDirectory = workingDirectory;
    }

    /** A server that will run in {@code workingDirectory} (created; the reference {@code conf/} copied into it). */
    public static PackagedServer in(Path workingDirectory) throws IOException {
        Path root = locateProjectRoot();
        Path dist = root.resolve("server/target/dist/mss-server.jar");
        if (!Files.exists(dist)) {
            throw new IllegalStateException(dist + " is missing: package the server first (mvn -pl server -am package)");
        }
        PackagedServer server = new PackagedServer(root, workingDirectory.toAbsolutePath());
        for (String variable : PORT_VARIABLES) {
            server.environment.put(variable, String.valueOf(freePort()));
        }
        Files.createDirectories(workingDirectory);
        copyReferenceConfiguration(root.resolve("conf"), workingDirectory.resolve("conf"));
        return server;
    }

    /** An extra MSS_* setting for the server (before {@link #start()}). */
    public PackagedServer with(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    /** Starts the server and waits until it reports ready ({@code var/run/server.ready} holds its pid). */
    public PackagedServer start() throws IOException {
        Path dist = projectRoot.resolve("server/target/dist");
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
            "-Dworking.directory=" + workingDirectory,
            "-Dlogback.configurationFile=" + workingDirectory.resolve("conf/logback.xml"),
            "-cp", dist.resolve("mss-server.jar") + ":" + dist.resolve("lib") + "/*",
            "fr.mssante.operator.server.MssServer"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(workingDirectory.resolve("server.log").toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        Path ready = workingDirectory.resolve("var/run/server.ready");
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Server exited during start-up, see " + workingDirectory.resolve("server.log"));
            }
            return Files.exists(ready)
                && Files.readString(ready, StandardCharsets.US_ASCII).trim().equals(String.valueOf(process.pid()));
        });
        return this;
    }

    public int port(String variable) {
        String value = environment.get(variable);
        if (value == null) {
            throw new IllegalArgumentException("No port " + variable);
        }
        return Integer.parseInt(value);
    }

    /** The server's WebAdmin base URL, e.g. {@code http://127.0.0.1:43127}. */
    public String webAdminUrl() {
        return "http://127.0.0.1:" + port("MSS_WEBADMIN_PORT");
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    /** A file the server wrote under {@code var/dev} (webadmin.token, demo-credentials.properties, pki/…). */
    public Path devFile(String relative) {
        return workingDirectory.resolve("var/dev").resolve(relative);
    }

    public String readDevFile(String relative) {
        try {
            return Files.readString(devFile(relative), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project this server was packaged from. */
    public Path project() {
        return projectRoot;
    }

    /** SIGKILL: no shutdown hook, no flush. */
    public void killHard() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    /** The project root: the nearest directory upwards holding both {@code pom.xml} and the {@code mss} launcher. */
    public static Path locateProjectRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null) {
            if (Files.exists(directory.resolve("mss")) && Files.exists(directory.resolve("pom.xml"))) {
                return directory;
            }
            directory = directory.getParent();
        }
        throw new IllegalStateException("Not inside the project: no directory upwards holds pom.xml and mss");
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyReferenceConfiguration(Path reference, Path target) throws IOException {
        Files.createDirectories(target);
        String instance = Long.toString(System.nanoTime(), 36);
        try (Stream<Path> files = Files.list(reference)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                // several servers may run on one machine: their JMX names must differ
                String content = Files.readString(file, StandardCharsets.UTF_8)
                    .replaceAll("<jmxName>([^<]+)</jmxName>", "<jmxName>$1-" + instance + "</jmxName>");
                Files.writeString(target.resolve(file.getFileName()), content, StandardCharsets.UTF_8);
            }
        }
    }
}
