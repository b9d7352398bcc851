package fr.mssante.operator.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;

/**
 * A WebAdmin request body sent with {@code Transfer-Encoding: chunked} (what an HTTP client does when it streams a body
 * of unknown length) reaches the route whole. James 3.8.1's request log read every body before the route, and Spark
 * does not cache a chunked body, so routes saw an empty one (a correct one-time code was "invalid", an uploaded
 * certificate "unparsable"); its log also put bodies (passwords, codes) into the MDC. {@code BodylessRequestLogger}
 * replaces it.
 */
class ChunkedRequestBodyTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aChunkedBodyReachesTheRoute() throws Exception {
        TestServer server = TestServer.shared();
        String mailbox = "chunked.upload@" + DemoData.DOMAIN;
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort()
                + "/mss/mailboxes/" + mailbox + "?kind=APP&holder=810000000002&description=Automate"))
            .header("Authorization", "Bearer " + server.webAdminToken())
            .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        byte[] certificate = Files.readAllBytes(server.workingDirectory().resolve("var/dev/pki/ca.pem"));
        // a body publisher of unknown length: the JDK client sends it chunked
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(certificate));
        assertThat(chunked.contentLength()).isNegative();

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort()
                + "/mss/mailboxes/" + mailbox + "/certificates"))
            .header("Authorization", "Bearer " + server.webAdminToken())
            .PUT(chunked).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"sha256\":\"").doesNotContain("\"sha256\":null");
    }
}
