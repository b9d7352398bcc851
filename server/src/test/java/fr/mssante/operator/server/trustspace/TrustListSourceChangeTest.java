package fr.mssante.operator.server.trustspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.trust.testpki.ListeBlancheWriter;
import fr.mssante.operator.trust.testpki.ListedPair;

/**
 * Issue 12 #8 (liste blanche): the last good copy is kept per configured source. One run with another list (2
 * entries) used to leave its copy in force for the next source: the development list (1 entry) was then refused at
 * every start as "suspiciously small" and the demo domain was no longer listed. A list that really shrank is accepted
 * only when an operator says so (WebAdmin, audited).
 */
class TrustListSourceChangeTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aChangeOfSourceKeepsTheNewSourcesListAndASmallerListNeedsAnExplicitAuditedAcceptance() throws Exception {
        Path working = Files.createTempDirectory("mss-trust-source-");
        Path other = working.resolve("other-list.xml");
        Files.writeString(other, list("autre-a.test", "autre-b.test"));

        TestServer first = TestServer.start(working, Map.of("mss.trust.list", other.toString()));
        try {
            assertThat(inForce(first)).startsWith("{\"entries\":2,");
            Files.writeString(other, list("autre-a.test"));
            assertThat(refresh(first, "")).contains("\"outcome\":\"REFUSED\"").contains("suspiciously small");
            assertThat(inForce(first)).startsWith("{\"entries\":2,");

            assertThat(refresh(first, "?acceptSmaller=true")).contains("\"outcome\":\"UPDATED\"").contains("accepted explicitly");
            assertThat(inForce(first)).startsWith("{\"entries\":1,");
            assertThat(new MessageEventLog(first.runtime().database().dataSource()).latest(20)).anySatisfy(event -> {
                assertThat(event.event()).isEqualTo("TRUST_LIST_SMALLER_ACCEPTED");
                assertThat(event.detail()).hasValueSatisfying(detail -> assertThat(detail).contains(other.toString()));
            });
            Files.writeString(other, list("autre-a.test", "autre-b.test", "autre-c.test"));
            assertThat(refresh(first, "")).contains("\"outcome\":\"UPDATED\"");
        } finally {
            first.close();
        }

        // the development list (1 entry: the demo domain), the default source
        TestServer second = TestServer.start(working, Map.of());
        try {
            com.fasterxml.jackson.databind.JsonNode inForce = new com.fasterxml.jackson.databind.ObjectMapper().readTree(inForce(second));
            assertThat(inForce.get("entries").asInt()).isEqualTo(1);
            assertThat(Files.readString(working.resolve("var/dev/liste-blanche.xml"))).contains(DemoData.DOMAIN);
            // the newest refresh is this run's start, from the development list, and it was accepted
            com.fasterxml.jackson.databind.JsonNode latest = inForce.get("recentRefreshes").get(0);
            assertThat(latest.get("source").asText()).endsWith("liste-blanche.xml");
            assertThat(latest.get("outcome").asText()).isEqualTo("UPDATED");
        } finally {
            second.close();
        }
    }

    private static String inForce(TestServer server) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.webAdminPort() + "/mss/trust-list"))
            .header("Authorization", "Bearer " + server.webAdminToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static String list(String... domains) {
        return ListeBlancheWriter.write(java.util.Arrays.stream(domains)
            .map(domain -> new ListedPair(domain, "CN=mx." + domain + ",OU=1,O=AUTRE,C=FR", "")).toList(),
            Instant.now(), true);
    }

    private static String refresh(TestServer server, String query) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.webAdminPort() + "/mss/trust-list/refresh" + query))
            .header("Authorization", "Bearer " + server.webAdminToken())
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
