package fr.mssante.operator.server.scaleout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import fr.mssante.operator.server.testing.TestServer;

/**
 * One node of a cluster: the packaged server ({@code target/dist}) in its own JVM, as {@code ./mss up --node N} runs
 * it, on free ports, against a shared PostgreSQL ({@code MSS_DB_URL}) and a shared broker ({@code MSS_QUEUE_URL}),
 * so that a test can {@code kill -9} it. {@code cpus} (e.g. "0") pins it with taskset for the throughput bench.
 */
public final class NodeProcess {
    final Path workingDirectory;
    private final Map<String, String> environment = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final String cpus;
    private double cpuQuota;
    private Path cpuGroup;
    private Process process;

    public NodeProcess(Path workingDirectory, String name, Map<String, String> shared, String cpus) throws IOException {
        this.workingDirectory = workingDirectory;
        this.cpus = cpus;
        for (String variable : List.of("MSS_SMTP_MX_PORT", "MSS_SUBMISSION_PORT", "MSS_SUBMISSIONS_PORT", "MSS_IMAP_PORT",
            "MSS_IMAPS_PORT", "MSS_WEBADMIN_PORT", "MSS_DB_EMBEDDED_PORT", "MSS_LDAP_PORT", "MSS_LDAPS_PORT",
            "MSS_OIDC_DEV_PORT", "MSS_AUTOCONFIG_PORT", "MSS_DMP_STANDIN_PORT")) {
            ports.put(variable, ActiveMqBroker.freePort());
        }
        ports.forEach((variable, port) -> environment.put(variable, String.valueOf(port)));
        environment.putAll(shared);
        environment.put("MSS_NODE_NAME", name);
        if (!Files.exists(workingDirectory.resolve("conf"))) {
            TestServer.copyReferenceConfiguration(workingDirectory.resolve("conf"));
        }
    }

    /**
     * Holds the node to {@code cores} of CPU time (e.g. 0.5: 50 ms per 100 ms) with a cgroup (v1 cpu controller,
     * needs root): on a 2-core machine, nodes of half a core leave the shared PostgreSQL and broker a core of their
     * own, as separate machines would.
     */
    public NodeProcess withCpuQuota(double cores) {
        this.cpuQuota = cores;
        return this;
    }

    private void applyCpuQuota() throws IOException {
        Path group = Path.of("/sys/fs/cgroup/cpu", "mss-node-" + workingDirectory.getFileName() + "-" + ProcessHandle.current().pid());
        Files.createDirectories(group);
        cpuGroup = group;
        Files.writeString(group.resolve("cpu.cfs_period_us"), "100000");
        Files.writeString(group.resolve("cpu.cfs_quota_us"), String.valueOf(Math.round(cpuQuota * 100_000)));
        Files.writeString(group.resolve("cgroup.procs"), String.valueOf(process.pid()));
    }

    /** Starts the JVM and waits until it is ready (var/run/server.ready names its pid). */
    public void start() throws IOException {
        Path dist = Path.of("target", "dist").toAbsolutePath();
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
            "-XX:ActiveProcessorCount=" + (cpus == null ? Runtime.getRuntime().availableProcessors() : cpus.split(",").length),
            "-Dworking.directory=" + workingDirectory,
            "-Dlogback.configurationFile=" + workingDirectory.resolve("conf/logback.xml"),
            "-cp", dist.resolve("mss-server.jar") + ":" + dist.resolve("lib") + "/*",
            "fr.mssante.operator.server.MssServer"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(workingDirectory.resolve("server.log").toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        if (cpuQuota > 0) {
            applyCpuQuota();
        }
        Path ready = workingDirectory.resolve("var/run/server.ready");
        // generous: a shared 2-core machine under other builds took more than 3 minutes to start a node
        Awaitility.await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Node exited during start-up, see " + workingDirectory.resolve("server.log"));
            }
            return Files.exists(ready) && Files.readString(ready, StandardCharsets.US_ASCII).trim().equals(String.valueOf(process.pid()));
        });
    }

    /** SIGKILL: no shutdown hook, nothing flushed, connections to PostgreSQL and the broker cut. */
    public void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        if (cpuGroup != null) {
            try {
                Files.deleteIfExists(cpuGroup); // an empty cgroup directory is removed with rmdir
            } catch (IOException e) {
                // a cgroup still holding a process stays; the kernel reclaims it with its last process
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public int port(String variable) {
        return ports.get(variable);
    }
}
