package fr.mssante.operator.healthspace.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

import com.sun.net.httpserver.HttpServer;

import fr.mssante.operator.healthspace.HealthSpaceSettings;

/** The typed client of the citizen routes against a scripted HTTP peer: token, JSON, statuses (contract B). */
class CitizenRoutesTest {
    private static final String INS = "180057512345627";

    @TempDir
    Path directory;
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private CitizenRoutes routes;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                + exchange.getRequestHeaders().getFirst("Authorization") + " " + body
                + " length=" + exchange.getRequestHeaders().getFirst("Content-Length"));
            String path = exchange.getRequestURI().getPath();
            int status = 200;
            String answer = "";
            if (path.equals("/mss/citizens/" + INS)) {
                answer = "{\"ins\":\"" + INS + "\",\"address\":\"" + INS + "@patient.mss.test\",\"displayName\":\"Jeanne Martin\","
                    + "\"state\":\"OPEN\",\"personalEmail\":\"citoyens@demo.mss.test\"}";
            } else if (path.endsWith("/login-code/verify")) {
                answer = body.contains("123456") ? "{\"valid\":true}" : body.contains("000000")
                    ? "{\"error\":\"locked\"}" : "{\"valid\":false,\"remainingAttempts\":3}";
                status = body.contains("000000") ? 429 : 200;
            } else if (path.endsWith("/login-code")) {
                status = 429;
            } else if (path.endsWith("/reply-permission")) {
                answer = "{\"allowed\":false,\"reason\":\"La conversation est terminée.\",\"reasonCode\":\"CONVERSATION_ENDED\"}";
            } else if (path.endsWith("/close")) {
                status = 500;
            } else {
                status = 404;
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        Path token = Files.writeString(directory.resolve("health-space.token"), "header.payload.signature\n");
        routes = new CitizenRoutes(new HealthSpaceSettings("http://127.0.0.1:" + server.getAddress().getPort(), token,
            "127.0.0.1", 1, 1, directory.resolve("x.p12"), directory.resolve("x"), directory.resolve("ca.pem"),
            "patient.mss.test", "code", "ins", Duration.ofSeconds(5), Duration.ofSeconds(5)), RestClient.builder());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsTheRegisterWithTheTokenFromItsFile() {
        assertThat(routes.find(INS)).contains(new Citizen(INS, INS + "@patient.mss.test", "Jeanne Martin", "OPEN",
            "citoyens@demo.mss.test"));
        assertThat(routes.find("280077512345655")).isEmpty();
        assertThat(requests.get(0)).startsWith("GET /mss/citizens/" + INS + " Bearer header.payload.signature");
    }

    @Test
    void codesAreVerifiedAndALockIsSaid() {
        assertThat(routes.verifyLoginCode(INS, "123456").outcome()).isEqualTo(CodeVerification.Outcome.VALID);
        assertThat(routes.verifyLoginCode(INS, "654321")).isEqualTo(new CodeVerification(CodeVerification.Outcome.INVALID, 3));
        assertThat(routes.verifyLoginCode(INS, "000000").outcome()).isEqualTo(CodeVerification.Outcome.LOCKED);
        // with its length: the server's WebAdmin does not read a chunked body
        assertThat(requests.get(0)).contains("POST /mss/citizens/" + INS + "/login-code/verify", "{\"code\":\"123456\"} length=17");
        assertThat(routes.sendLoginCode(INS)).as("429: a code was sent less than a minute ago").isFalse();
    }

    @Test
    void theReplyRuleIsAskedWithTheMessageIdEncoded() {
        ReplyPermission permission = routes.replyPermission(INS, "<abc+1@demo.mss.test>");
        assertThat(permission).isEqualTo(new ReplyPermission(false, "La conversation est terminée.", "CONVERSATION_ENDED"));
        assertThat(requests.get(0)).contains("/reply-permission?inReplyTo=%3Cabc%2B1%40demo.mss.test%3E");
    }

    @Test
    void aServerFailureIsSaidNotSwallowedAndNoInsShapeReachesTheServer() {
        assertThatThrownBy(() -> routes.close(INS)).isInstanceOf(ServerUnavailableException.class).hasMessageContaining("500");
        assertThatThrownBy(() -> routes.find("../domains")).isInstanceOf(IllegalArgumentException.class);
        assertThat(requests).hasSize(1);
    }
}
