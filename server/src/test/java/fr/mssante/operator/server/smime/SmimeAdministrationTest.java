package fr.mssante.operator.server.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.smime.encrypt.CertificateRepository;

/** The S/MIME administration routes of WebAdmin: policies with inheritance, correspondents' certificates. */
class SmimeAdministrationTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(TestServer server, String method, String path, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + server.webAdminToken()).method(method, body).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void policiesInheritFromDomainToMailbox() throws Exception {
        TestServer server = TestServer.shared();
        String mailbox = "bruno.durand@" + DemoData.DOMAIN;
        assertThat(call(server, "PUT", "/mss/smime/policies/domain/" + DemoData.DOMAIN + "?sign=ALWAYS&encrypt=WHEN_POSSIBLE",
            HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(200);
        assertThat(call(server, "PUT", "/mss/smime/policies/mailbox/" + mailbox + "?encrypt=REQUIRED",
            HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(200);

        HttpResponse<String> effective = call(server, "GET", "/mss/smime/policies/effective/" + mailbox,
            HttpRequest.BodyPublishers.noBody());
        assertThat(effective.body()).contains("\"sign\":\"ALWAYS\"").contains("\"encrypt\":\"REQUIRED\"")
            .contains("domain:" + DemoData.DOMAIN).contains("mailbox:" + mailbox);

        call(server, "DELETE", "/mss/smime/policies/mailbox/" + mailbox, HttpRequest.BodyPublishers.noBody());
        call(server, "DELETE", "/mss/smime/policies/domain/" + DemoData.DOMAIN, HttpRequest.BodyPublishers.noBody());
        assertThat(call(server, "GET", "/mss/smime/policies/effective/" + mailbox, HttpRequest.BodyPublishers.noBody()).body())
            .contains("\"encrypt\":\"NEVER\"");
    }

    @Test
    void aCorrespondentCertificateCanBeRegisteredAndABadOneIsA400() throws Exception {
        TestServer server = TestServer.shared();
        byte[] pem = Files.readAllBytes(server.workingDirectory().resolve("var/dev/pki/ca.pem"));
        assertThat(call(server, "PUT", "/mss/smime/certificates/dr.x@hopital.test", HttpRequest.BodyPublishers.ofByteArray(pem))
            .statusCode()).isEqualTo(200);
        assertThat(new CertificateRepository(server.runtime().database().dataSource()).certificatesFor("dr.x@hopital.test"))
            .hasSize(1);
        assertThat(call(server, "PUT", "/mss/smime/policies/mailbox/x@y.test?encrypt=SOMETIMES",
            HttpRequest.BodyPublishers.noBody()).statusCode()).isEqualTo(400);
        assertThat(call(server, "GET", "/mss/smime/policies/effective/x@y.test", HttpRequest.BodyPublishers.noBody())
            .statusCode()).isEqualTo(200);
    }
}
