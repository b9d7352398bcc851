package fr.mssante.operator.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Bad input to our WebAdmin routes gets a clear 4xx (404 for what does not exist, 400 for a body or parameter that does
 * not parse), never WebAdmin's 500 "unexpected internal error".
 */
class WebAdminBadInputTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String UNKNOWN = "nobody.here@" + DemoData.DOMAIN;
    private static final String KNOWN = "alice.martin@" + DemoData.DOMAIN;
    private static TestServer server;
    private static String pem;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.shared();
        pem = Files.readString(server.workingDirectory().resolve("var/dev/pki/ca.pem"));
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + server.webAdminToken())
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCertificateForAnUnknownMailboxIs404() throws Exception {
        HttpResponse<String> response = call("PUT", "/mss/mailboxes/" + UNKNOWN + "/certificates", pem);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(response.body()).contains("no mailbox " + UNKNOWN);
        HttpResponse<String> bySubject = call("PUT", "/mss/mailboxes/" + UNKNOWN + "/certificates?subject=CN%3Dx", null);
        assertThat(bySubject.statusCode()).as(bySubject.body()).isEqualTo(404);
    }

    @Test
    void anUnparsableCertificateIs400() throws Exception {
        HttpResponse<String> response = call("PUT", "/mss/mailboxes/" + KNOWN + "/certificates",
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("not an X.509 certificate");
        assertThat(call("PUT", "/mss/smime/certificates/someone@elsewhere.test", "garbage").statusCode()).isEqualTo(400);
    }

    @Test
    void otherMailboxRoutesAnswer404ForAnUnknownMailbox() throws Exception {
        assertThat(call("PUT", "/mss/mailboxes/" + UNKNOWN + "/password-login/DISABLED", null).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/mss/mailboxes/" + UNKNOWN + "/certificates?subject=CN%3Dx", null).statusCode())
            .isEqualTo(404);
        assertThat(call("PUT", "/mss/mailboxes/" + KNOWN + "/password-login/SOMETIMES", null).statusCode()).isEqualTo(400);
    }
}
