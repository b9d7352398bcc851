package fr.mssante.operator.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;

/** Publication export (FHIR, red list honoured) and dépublication of a mailbox unused for more than 12 months. */
class PublicationTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(TestServer server, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + server.webAdminToken())
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void exportHonoursTheRedListAndUnusedMailboxesAreUnpublished() throws Exception {
        TestServer server = TestServer.shared();
        String dormant = "dr.dormant@" + DemoData.DOMAIN;
        assertThat(call(server, "PUT", "/mss/mailboxes/" + dormant + "?kind=PER&holder=810000000099").statusCode()).isEqualTo(201);
        try (Connection connection = server.runtime().database().dataSource().getConnection();
             PreparedStatement update = connection.prepareStatement(
                 "UPDATE mss.mailbox SET last_activity_at = now() - interval '13 months', created_at = now() - interval '3 years' "
                     + "WHERE address = ?")) {
            update.setString(1, dormant);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }

        String national = call(server, "GET", "/mss/publication/export?audience=NATIONAL_DIRECTORY").body();
        String open = call(server, "GET", "/mss/publication/export?audience=PUBLIC").body();
        assertThat(national).contains("\"Bundle\"").contains("alice.martin@" + DemoData.DOMAIN)
            .contains("claire.secretaire@" + DemoData.DOMAIN).contains(dormant);
        assertThat(open).contains("alice.martin@" + DemoData.DOMAIN).doesNotContain("claire.secretaire@" + DemoData.DOMAIN);

        assertThat(call(server, "POST", "/mss/publication/depublish").body()).contains(dormant).contains("UNUSED")
            .doesNotContain("alice.martin@");
        assertThat(call(server, "GET", "/mss/mailboxes/" + dormant + "/history").body()).contains("UNPUBLISHED: no activity since");
        assertThat(call(server, "GET", "/mss/publication/export?audience=NATIONAL_DIRECTORY").body()).doesNotContain(dormant);
        assertThat(call(server, "POST", "/mss/publication/depublish").body()).doesNotContain(dormant);
    }
}
