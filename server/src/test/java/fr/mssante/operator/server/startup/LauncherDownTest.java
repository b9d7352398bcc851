package fr.mssante.operator.server.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.server.supervision.RunRecords;

/**
 * {@code ./mss down} ends in bounded time whatever the server is doing (issue 12, defect 12): a server that ignores
 * SIGTERM (as one stuck in an IMAP unbind does) is killed after {@code MSS_STOP_TIMEOUT}, and so is every process it
 * started, by record. Stand-ins for those processes are shells that ignore SIGTERM, with the recorded markers in their
 * command lines.
 */
class LauncherDownTest {
    @TempDir
    Path root;
    private Process server;
    private Process child;

    @AfterEach
    void killStandIns() throws InterruptedException {
        for (Process process : new Process[] {server, child}) {
            if (process != null) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void downKillsAServerThatIgnoresSigtermAndWhatItStartedWithinTheStopTimeout() throws Exception {
        Files.copy(Path.of("..", "mss"), root.resolve("mss"), StandardCopyOption.COPY_ATTRIBUTES);
        server = stubborn("-Dworking.directory=" + root);
        child = stubborn(root + "/dmp-standin/target/dist/dmp-standin.jar");
        record("server", server, "-Dworking.directory=" + root);
        record("dmp-standin", child, root + "/dmp-standin/target/dist/dmp-standin.jar");

        ProcessBuilder down = new ProcessBuilder(root.resolve("mss").toString(), "down").redirectErrorStream(true);
        down.environment().keySet().removeIf(name -> name.startsWith("MSS_"));
        down.environment().put("MSS_STOP_TIMEOUT", "2");
        Instant begin = Instant.now();
        Process stopping = down.start();
        String output = new String(stopping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stopping.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        Duration took = Duration.between(begin, Instant.now());

        assertThat(stopping.exitValue()).as(output).isZero();
        assertThat(output).contains("did not stop in 2s; killing it").contains("dmp-standin (pid " + child.pid() + ")");
        assertThat(server.waitFor(5, TimeUnit.SECONDS)).as("the server stand-in was killed").isTrue();
        assertThat(child.waitFor(5, TimeUnit.SECONDS)).as("the DMP stand-in was killed").isTrue();
        assertThat(server.exitValue()).isEqualTo(128 + 9);
        assertThat(child.exitValue()).isEqualTo(128 + 9);
        assertThat(took).isLessThan(Duration.ofSeconds(30));
        assertThat(root.resolve("var/run/procs")).isEmptyDirectory();
    }

    /** A shell that ignores SIGTERM and waits on its standard input; {@code marker} is part of its command line. */
    private static Process stubborn(String marker) throws IOException {
        Process process = new ProcessBuilder("bash", "-c", "trap '' TERM; read -r -t 600 _ || :", marker).start();
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(status).stream()
            .filter(line -> line.startsWith("SigIgn:"))
            .anyMatch(line -> (Long.parseLong(line.substring(7).trim(), 16) & (1L << 14)) != 0)); // SIGTERM ignored
        return process;
    }

    private void record(String role, Process process, String marker) throws IOException {
        Files.createDirectories(root.resolve("var/run/procs"));
        Files.writeString(root.resolve("var/run/procs").resolve(role),
            process.pid() + " " + RunRecords.startTime(process.pid()).getAsLong() + " " + marker + "\n");
    }
}
