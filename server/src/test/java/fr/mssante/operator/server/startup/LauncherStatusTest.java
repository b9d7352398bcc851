package fr.mssante.operator.server.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.server.supervision.RunRecords;
import fr.mssante.operator.server.testing.TestServer;

/**
 * {@code ./mss status} checks exactly what this server started (issue 12, defect 10): with {@code MSS_OIDC_ISSUER}
 * set in development mode the development issuer is not started, so it is neither listed in {@code var/run/services}
 * nor waited for, and status answers 0 for a working server whatever its ports.
 */
class LauncherStatusTest {
    @TempDir
    Path workingDirectory;

    @Test
    void statusChecksTheServicesThisConfigurationStartedAndNoOther() throws Exception {
        try (TestServer server = TestServer.start(workingDirectory, Map.of(
                "mss.oidc.issuer", "https://auth.example.test/realms/mss",
                "mss.oidc.jwksUrl", "https://auth.example.test/realms/mss/protocol/openid-connect/certs"))) {
            assertThat(server.runtime().oidcIssuer()).isEmpty();
            List<RunRecords.Service> services = server.runtime().services();
            assertThat(services).extracting(RunRecords.Service::name).containsExactlyInAnyOrder(
                "smtp-mx", "submission", "submissions", "imap", "imaps", "ldap", "ldaps", "autoconfig", "webadmin");
            assertThat(Files.readAllLines(workingDirectory.resolve("var/run/services"), StandardCharsets.US_ASCII))
                .containsExactlyElementsOf(services.stream().map(s -> s.name() + " " + s.host() + " " + s.port()).toList());
            for (RunRecords.Service service : services) {
                assertThat(listening(service)).as(service.name()).isTrue();
            }

            // ./mss (a copy, in this working directory) sees a server process of this directory that is ready
            Files.copy(Path.of("..", "mss"), workingDirectory.resolve("mss"), StandardCopyOption.COPY_ATTRIBUTES);
            Process standIn = new ProcessBuilder("bash", "-c", "read -r -t 300 _ || :",
                "-Dworking.directory=" + workingDirectory).start();
            try {
                Files.createDirectories(workingDirectory.resolve("var/run/procs"));
                Files.writeString(workingDirectory.resolve("var/run/procs/server"), standIn.pid() + " "
                    + RunRecords.startTime(standIn.pid()).getAsLong() + " -Dworking.directory=" + workingDirectory + "\n");
                Files.writeString(workingDirectory.resolve("var/run/server.ready"), standIn.pid() + "\n");
                // what earlier launchers read instead (a bare PID): ignored once the record exists
                Files.writeString(workingDirectory.resolve("var/run/server.pid"), standIn.pid() + "\n");

                Result ready = status();
                assertThat(ready.exit()).as(ready.output()).isZero();
                assertThat(ready.output()).contains("startup        complete").doesNotContain("oidc-dev")
                    .contains("webadmin       ready, healthy");
                for (RunRecords.Service service : services) {
                    assertThat(ready.output()).containsPattern("(?m)^" + service.name() + " +(ready|ready, healthy) \\("
                        + service.host() + ":" + service.port() + "\\)$");
                }

                // a listed service that does not answer fails the status, naming it
                Files.writeString(workingDirectory.resolve("var/run/services"), "dmp-standin 127.0.0.1 1\n",
                    StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.APPEND);
                Result down = status();
                assertThat(down.exit()).isEqualTo(1);
                assertThat(down.output()).contains("dmp-standin    DOWN (127.0.0.1:1)");
            } finally {
                standIn.destroy();
                standIn.waitFor(10, TimeUnit.SECONDS);
            }
            // the recorded server process gone: not running, whatever the PID file says
            Result gone = status();
            assertThat(gone.exit()).isEqualTo(1);
            assertThat(gone.output()).contains("process        not running");
        }
    }

    private record Result(int exit, String output) {
    }

    private Result status() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(workingDirectory.resolve("mss").toString(), "status").redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("MSS_"));
        Process status = builder.start();
        String output = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(status.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(status.exitValue(), output);
    }

    private static boolean listening(RunRecords.Service service) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(service.host(), service.port()), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
