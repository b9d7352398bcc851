package fr.mssante.operator.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery of the launcher (issue 12, defect 9 and must-show 2): runs {@code bench/crash/run.sh} against a copy
 * of the launcher (its own {@code conf/} and {@code var/}, the packaged layouts linked, every port free and passed as
 * MSS_* variables), so that it cannot collide with another test or a developer's {@code ./mss up}. The script starts
 * the stack under a subreaper that never reaps (the killed server stays a zombie, as in a container without init),
 * puts submission load on it, {@code kill -9}s the server JVM, and then requires that {@code ./mss up -d} alone is
 * ready within 30 s, that no process of the previous run is left (recorded identities and ports), that every message
 * answered 250 is in the INBOX over IMAP, and that {@code ./mss down} leaves nothing. Its output is printed and kept in
 * {@code target/launcher-crash.txt}.
 */
class LauncherCrashIT {
    private static final List<String> PORTS = List.of("MSS_SMTP_MX_PORT", "MSS_SUBMISSION_PORT", "MSS_SUBMISSIONS_PORT",
        "MSS_IMAP_PORT", "MSS_IMAPS_PORT", "MSS_WEBADMIN_PORT", "MSS_DB_EMBEDDED_PORT", "MSS_LDAP_PORT", "MSS_LDAPS_PORT",
        "MSS_OIDC_DEV_PORT", "MSS_AUTOCONFIG_PORT", "MSS_DMP_STANDIN_PORT");

    @TempDir
    Path root;
    private ProcessBuilder environment;

    @AfterEach
    void stopWhateverIsLeft() throws Exception {
        if (environment != null && Files.exists(root.resolve("mss"))) {
            Process down = new ProcessBuilder(root.resolve("mss").toString(), "down").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            down.waitFor(3, TimeUnit.MINUTES);
        }
    }

    @Test
    void afterKillMinus9OfTheServerUpAloneRecoversWithinThirtySecondsAndLosesNothing() throws Exception {
        Path repository = Path.of("..").toAbsolutePath().normalize();
        Files.copy(repository.resolve("mss"), root.resolve("mss"), StandardCopyOption.COPY_ATTRIBUTES);
        copyDirectory(repository.resolve("conf"), root.resolve("conf"));
        for (String module : List.of("server", "dmp-standin", "dmp-connector")) {
            Path dist = repository.resolve(module).resolve("target/dist");
            assertThat(dist.resolve(module.equals("server") ? "mss-server.jar" : module + ".jar"))
                .as("packaged layout of " + module + " (mvn package)").isRegularFile();
            Files.createDirectories(root.resolve(module).resolve("target"));
            Files.createSymbolicLink(root.resolve(module).resolve("target/dist"), dist);
        }

        environment = new ProcessBuilder("bash", repository.resolve("bench/crash/run.sh").toString(), root.toString());
        environment.environment().keySet().removeIf(name -> name.startsWith("MSS_"));
        for (String port : PORTS) {
            environment.environment().put(port, Integer.toString(freePort()));
        }
        environment.environment().put("MSS_JAVA_OPTS", "-Xms128m -Xmx768m");
        environment.environment().put("MSS_START_TIMEOUT", "150");
        Path output = Path.of("target", "launcher-crash.txt").toAbsolutePath();
        Files.createDirectories(output.getParent());
        Process script = environment.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean finished = script.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            script.destroy();
            script.waitFor(2, TimeUnit.MINUTES);
        }
        String report = Files.readString(output, StandardCharsets.UTF_8);
        System.out.print(report);

        assertThat(finished).as("bench/crash/run.sh finished in 5 minutes:%n%s", report).isTrue();
        assertThat(script.exitValue()).as("bench/crash/run.sh exit status:%n%s", report).isZero();
        assertThat(report).contains("crash: PASS").contains("killed server's state: Z")
            .contains("the DMP JVMs of the killed server ended by themselves")
            .containsPattern("accepted \\(250\\)=(\\d+) delivered \\(IMAP\\)=\\d+ distinct=\\d+ accepted-and-delivered=\\1 lost=0");
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
