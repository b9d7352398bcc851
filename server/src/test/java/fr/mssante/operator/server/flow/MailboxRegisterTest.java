package fr.mssante.operator.server.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;

/** The mailbox register through WebAdmin: kinds, holders, co-holders, delegates, states, audit trail. */
class MailboxRegisterTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(TestServer server, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + server.webAdminToken()).header("X-Actor", "ops@operateur").header("X-MSS-Actor", "ops@operateur")
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSharedPracticeMailboxWithCoHolderAndDelegate() throws Exception {
        TestServer server = TestServer.shared();
        String cabinet = "cabinet.pasteur@" + DemoData.DOMAIN;
        assertThat(call(server, "PUT", "/mss/mailboxes/" + cabinet + "?kind=CAB&holder=810000000002&description=Cabinet%20Pasteur")
            .statusCode()).isEqualTo(201);
        assertThat(call(server, "PUT", "/mss/mailboxes/" + cabinet + "/access/810000000003/CO_HOLDER").statusCode()).isEqualTo(200);
        assertThat(call(server, "PUT", "/mss/mailboxes/" + cabinet + "/access/0750000001/DELEGATE_SEND").statusCode()).isEqualTo(200);
        assertThat(call(server, "PUT", "/mss/mailboxes/" + cabinet + "?listeRouge=true").body()).contains("\"listeRouge\":true")
            .contains("\"kind\":\"CAB\"");

        assertThat(call(server, "GET", "/mss/identities/0750000001/mailboxes").body())
            .contains(cabinet).contains("DELEGATE_SEND");
        assertThat(call(server, "GET", "/mss/mailboxes/" + cabinet + "/history").body())
            // the token's subject acts: a header cannot name someone else (only the console's token names its operator)
            .contains("CREATED: CAB held by 810000000002 (webadmin:admin@" + DemoData.DOMAIN + ")")
            .contains("GRANTED: DELEGATE_SEND to 0750000001 (webadmin:admin@" + DemoData.DOMAIN + ")")
            .doesNotContain("ops@operateur");

        assertThat(call(server, "GET", "/mss/mailboxes/" + cabinet + "/access").body())
            .contains("\"identity\":\"810000000003\"")
            .contains("\"role\":\"CO_HOLDER\"").contains("\"role\":\"DELEGATE_SEND\"").contains("0750000001");
        assertThat(call(server, "GET", "/mss/mailboxes?limit=1000").body()).contains("\"address\":\"" + cabinet + "\"");
        assertThat(call(server, "GET", "/mss/mailboxes?limit=0").statusCode()).isEqualTo(400);
        assertThat(call(server, "PUT", "/mss/mailboxes/dr.x@" + DemoData.DOMAIN + "?kind=PER&holder=42").statusCode()).isEqualTo(400);
        assertThat(call(server, "PUT", "/mss/mailboxes/" + cabinet + "/state/CLOSED").body()).contains("\"state\":\"CLOSED\"");
        assertThat(call(server, "PUT", "/mss/mailboxes/" + cabinet + "/access/810000000009/CO_HOLDER").statusCode()).isEqualTo(400);
    }
}
