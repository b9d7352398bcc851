package fr.mssante.operator.server.interop;

import static fr.mssante.operator.server.interop.InteropServer.ALICE;
import static fr.mssante.operator.server.interop.InteropServer.LABORATORY;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * Python's {@code imaplib} (STARTTLS with certificate and host name verification, LOGIN, SELECT) in IDLE
 * (RFC 2177): a message delivered while the client idles is announced by an untagged {@code EXISTS} during the IDLE,
 * without the client asking, and is then fetched ({@code src/test/resources/interop/imap_idle.py}).
 */
class ImaplibIdleInteropTest {
    private static TestServer server;
    private static Path python;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        python = RequiredTools.require("python3");
        server = InteropServer.get();
    }

    @Test
    void aMessageDeliveredDuringIdleIsAnnouncedWithoutTheClientAsking() throws Exception {
        String token = "idle-" + UUID.randomUUID();
        Path script = work.resolve("imap_idle.py");
        try (var in = ImaplibIdleInteropTest.class.getResourceAsStream("/interop/imap_idle.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process idle = new ProcessBuilder(List.of(python.toString(), script.toString(), "localhost",
            String.valueOf(server.port(ListeningPorts.IMAP)), LABORATORY, server.password(LABORATORY),
            InteropServer.caFile(server).toString(), token, "60"))
            .redirectError(work.resolve("idle.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(idle.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("the client is idling; stderr: %s", stderr()).isEqualTo("IDLING");

            MailClient javaMail = new MailClient(server);
            javaMail.submit(ALICE, javaMail.newMessage(ALICE, LABORATORY, token, "Resultat arrive pendant IDLE"));

            String result = out.readLine();
            assertThat(idle.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(result).as("stderr: %s", stderr()).isNotNull();
            JsonNode outcome = new ObjectMapper().readTree(result);
            assertThat(outcome.path("exists").asInt()).isEqualTo(outcome.path("before").asInt() + 1);
            assertThat(outcome.path("notifications").get(0).asText()).isEqualTo("* " + outcome.path("exists").asInt() + " EXISTS");
            assertThat(outcome.path("done").asText()).endsWith("OK IDLE completed.");
            assertThat(outcome.path("tokenFound").asBoolean()).isTrue();
            assertThat(outcome.path("subject").asText()).isEqualTo(token);
            assertThat(idle.exitValue()).isZero();
        } finally {
            idle.destroyForcibly();
        }
    }

    private String stderr() {
        try {
            return Files.readString(work.resolve("idle.err"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
