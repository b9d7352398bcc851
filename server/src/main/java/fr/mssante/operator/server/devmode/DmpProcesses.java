package fr.mssante.operator.server.devmode;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.database.DatabaseSettings;

/**
 * Development only: the DMP stand-in (ITI-41/ITI-18 on 127.0.0.1:18090, mutual TLS) and the DMP connector, each in its
 * own JVM (ADR 0005) from their packaged layouts ({@code dmp-standin/target/dist}, {@code dmp-connector/target/dist}),
 * on the same PostgreSQL, with identities from the development PKI ({@code var/dev/pki/dmp-*.p12}). Logs go to
 * {@code var/log/dmp-*.log}. Skipped, with a warning, when the layouts are not built. Both end with the JVM that
 * started them, even after a {@code kill -9} of it ({@code MSS_EXIT_WITH_PARENT}: ParentWatch in each child).
 */
public final class DmpProcesses implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DmpProcesses.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private final Path projectRoot;
    private final Path logDirectory;
    private final Map<String, String> standInEnvironment;
    private final Map<String, String> connectorEnvironment;
    private final int standInPort;
    private Process standIn;
    private Process connector;

    private DmpProcesses(Path projectRoot, Path logDirectory, Map<String, String> standInEnvironment,
                         Map<String, String> connectorEnvironment, int standInPort) {
        this.projectRoot = projectRoot;
        this.logDirectory = logDirectory;
        this.standInEnvironment = standInEnvironment;
        this.connectorEnvironment = connectorEnvironment;
        this.standInPort = standInPort;
    }

    public static boolean built(Path projectRoot) {
        return Files.exists(jar(projectRoot, "dmp-standin")) && Files.exists(jar(projectRoot, "dmp-connector"));
    }

    /** Starts both when built and waits until the stand-in listens; empty (and a warning) when not built. */
    public static Optional<DmpProcesses> startIfBuilt(Path projectRoot, Path devDirectory, Path logDirectory,
                                                      DatabaseSettings database, int standInPort,
                                                      Map<String, String> extraStandInEnvironment) throws IOException {
        Optional<DmpProcesses> processes = launchIfBuilt(projectRoot, devDirectory, logDirectory, database, standInPort,
            extraStandInEnvironment);
        if (processes.isPresent()) {
            try {
                processes.get().awaitStandIn();
            } catch (IOException | RuntimeException e) {
                processes.get().close();
                throw e;
            }
        }
        return processes;
    }

    /**
     * Launches both when built, without waiting (their JVMs start while the server starts; {@link #awaitStandIn()}
     * before relying on the stand-in); empty (and a warning) when not built.
     */
    public static Optional<DmpProcesses> launchIfBuilt(Path projectRoot, Path devDirectory, Path logDirectory,
                                                       DatabaseSettings database, int standInPort,
                                                       Map<String, String> extraStandInEnvironment) throws IOException {
        if (!built(projectRoot)) {
            LOGGER.warn("DMP stand-in and connector not started: build them first (./mss build)");
            return Optional.empty();
        }
        DevelopmentPki pki = new DevelopmentPki(devDirectory.resolve("pki"));
        Path standInIdentity = pki.pkcs12Identity("dmp-standin", "CN=127.0.0.1, OU=DMP stand-in, O="
            + DevelopmentPki.DEVELOPMENT_MARKER + ", C=FR", true);
        Path connectorIdentity = pki.pkcs12Identity("dmp-connector", "CN=MSS operator DMP connector, OU="
            + DemoData.LAB_STRUCTURE_ID + ", O=" + DevelopmentPki.DEVELOPMENT_MARKER + ", C=FR", false);
        Map<String, String> db = Map.of("MSS_DB_URL", database.url(), "MSS_DB_USER", database.user(),
            "MSS_DB_PASSWORD", database.password());
        Map<String, String> standIn = new HashMap<>(db);
        standIn.put("MSS_DMP_STANDIN_BIND", "127.0.0.1");
        standIn.put("MSS_DMP_STANDIN_PORT", Integer.toString(standInPort));
        standIn.put("MSS_DMP_STANDIN_KEYSTORE", standInIdentity.toString());
        standIn.put("MSS_DMP_STANDIN_KEYSTORE_PASSWORD_FILE", standInIdentity + ".password");
        standIn.put("MSS_DMP_STANDIN_TRUSTSTORE", pki.caCertificate().toString());
        standIn.put("MSS_DMP_STANDIN_WORK_DIR", devDirectory.getParent().resolve("dmp-standin").toString());
        standIn.putAll(extraStandInEnvironment);
        Map<String, String> connector = new HashMap<>(db);
        connector.put("MSS_DMP_URL", "https://127.0.0.1:" + standInPort + "/si-dmp-server/v2/services/repository");
        connector.put("MSS_DMP_KEYSTORE", connectorIdentity.toString());
        connector.put("MSS_DMP_KEYSTORE_PASSWORD_FILE", connectorIdentity + ".password");
        connector.put("MSS_DMP_TRUSTSTORE", pki.caCertificate().toString());
        connector.put("MSS_DMP_POLL_INTERVAL", "PT1S");
        connector.put("MSS_DMP_RETRY_BASE", "PT2S");
        connector.put("MSS_DMP_RETRY_MAX", "PT5S");
        Files.createDirectories(logDirectory);
        DmpProcesses processes = new DmpProcesses(projectRoot, logDirectory, Map.copyOf(standIn), Map.copyOf(connector), standInPort);
        processes.standIn = processes.launch("dmp-standin", "fr.mssante.operator.dmp.standin.DmpStandInMain",
            processes.standInEnvironment);
        try {
            processes.connector = processes.launch("dmp-connector", "fr.mssante.operator.dmp.connector.DmpConnectorMain",
                processes.connectorEnvironment);
        } catch (IOException e) {
            processes.close();
            throw e;
        }
        LOGGER.info("DMP stand-in (https://127.0.0.1:{}) and DMP connector launched (logs in {})", standInPort, logDirectory);
        return Optional.of(processes);
    }

    /** Starts the stand-in and waits until it listens. */
    public synchronized void startStandIn() throws IOException {
        standIn = launch("dmp-standin", "fr.mssante.operator.dmp.standin.DmpStandInMain", standInEnvironment);
        awaitStandIn();
    }

    /** Waits until the stand-in listens. */
    public synchronized void awaitStandIn() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos(); // a timeout, not a date: not the server's clock
        while (!listening(standInPort)) {
            if (!standIn.isAlive()) {
                throw new IOException("the DMP stand-in stopped during start-up; see " + logDirectory.resolve("dmp-standin.log"));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the DMP stand-in is not listening after " + START_TIMEOUT);
            }
            try {
                Thread.sleep(200); // production-side start-up wait for a child process, not a test synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting the DMP stand-in", e);
            }
        }
    }

    /** Stops the stand-in (tests: the DMP is down for a while). */
    public synchronized void stopStandIn() throws InterruptedException {
        stop(standIn);
        standIn = null;
    }

    public String standInUrl() {
        return "https://127.0.0.1:" + standInPort;
    }

    private Process launch(String name, String mainClass, Map<String, String> environment) throws IOException {
        Path dist = projectRoot.resolve(name).resolve("target/dist");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // development stand-ins: quick to start rather than fast at peak (C1 only), they start alongside the server
            "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dmss.role=" + name, "-cp", dist.resolve(name + ".jar") + File.pathSeparator + dist.resolve("lib") + File.separator + "*",
            mainClass));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logDirectory.resolve(name + ".log").toFile()));
        builder.environment().keySet().removeIf(key -> key.startsWith("MSS_"));
        builder.environment().putAll(environment);
        // the child ends with this JVM, even after a kill -9 (ParentWatch in the child): it watches this PID and the
        // end of its standard input, a pipe whose other end only this JVM holds (kept open by the Process object)
        builder.environment().put("MSS_EXIT_WITH_PARENT", Long.toString(ProcessHandle.current().pid()));
        builder.redirectInput(ProcessBuilder.Redirect.PIPE);
        return builder.start();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path jar(Path projectRoot, String name) {
        return projectRoot.resolve(name).resolve("target/dist").resolve(name + ".jar");
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitOrKill(process);
        }
    }

    private static void waitOrKill(Process process) throws InterruptedException {
        if (process != null && !process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The running child processes by name ({@code dmp-standin}, {@code dmp-connector}). */
    public synchronized Map<String, ProcessHandle> processes() {
        Map<String, ProcessHandle> running = new LinkedHashMap<>();
        if (standIn != null && standIn.isAlive()) {
            running.put("dmp-standin", standIn.toHandle());
        }
        if (connector != null && connector.isAlive()) {
            running.put("dmp-connector", connector.toHandle());
        }
        return running;
    }

    /** A string that the command line of child {@code name} contains: its packaged jar. */
    public String marker(String name) {
        return jar(projectRoot, name).toString();
    }

    public int standInPort() {
        return standInPort;
    }

    /** Both children are asked to stop at once (SIGTERM), then waited for, then killed: bounded by {@link #STOP_TIMEOUT}. */
    @Override
    public synchronized void close() {
        try {
            for (Process process : new Process[] {connector, standIn}) {
                if (process != null && process.isAlive()) {
                    process.destroy();
                }
            }
            waitOrKill(connector);
            waitOrKill(standIn);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
