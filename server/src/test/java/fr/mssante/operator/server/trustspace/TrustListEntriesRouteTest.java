package fr.mssante.operator.server.trustspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.trust.testpki.ListeBlancheWriter;
import fr.mssante.operator.trust.testpki.ListedPair;

/**
 * {@code GET /mss/trust-list/entries}: the entries in force themselves (domain, operator certificate DN, source), not
 * only their count, filtered by a part of a domain or of a DN, bounded, behind WebAdmin's JWT like every route.
 */
class TrustListEntriesRouteTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void entriesAreListedWithTheirCertificateDnAndSourceAndCanBeFiltered() throws Exception {
        Path working = Files.createTempDirectory("mss-trust-entries-");
        Path source = working.resolve("liste.xml");
        Files.writeString(source, ListeBlancheWriter.write(Arrays.asList(
            new ListedPair("hopital-nord.test", "CN=mx.hopital-nord.test,OU=1,O=NORD,C=FR", ""),
            new ListedPair("clinique-sud.test", "CN=mx.clinique-sud.test,OU=2,O=SUD,C=FR", ""),
            new ListedPair("hopital-est.test", "CN=mx.hopital-est.test,OU=3,O=EST,C=FR", "")), Instant.now(), true));
        try (TestServer server = TestServer.start(working, Map.of("mss.trust.list", source.toString()))) {
            JsonNode all = get(server, "", 200);
            assertThat(all.get("total").asInt()).isEqualTo(3);
            assertThat(all.get("matched").asInt()).isEqualTo(3);
            assertThat(all.get("source").asText()).isEqualTo(source.toString());
            assertThat(all.get("entries")).extracting(entry -> entry.get("domain").asText())
                .containsExactly("clinique-sud.test", "hopital-est.test", "hopital-nord.test");
            assertThat(all.get("entries").get(0).get("dn").asText()).isEqualTo("CN=mx.clinique-sud.test,OU=2,O=SUD,C=FR");

            JsonNode byDomain = get(server, "?q=HOPITAL", 200);
            assertThat(byDomain.get("matched").asInt()).isEqualTo(2);
            assertThat(byDomain.get("entries")).extracting(entry -> entry.get("domain").asText())
                .containsExactly("hopital-est.test", "hopital-nord.test");
            JsonNode byDn = get(server, "?q=o%3Dsud", 200);
            assertThat(byDn.get("entries")).extracting(entry -> entry.get("domain").asText()).containsExactly("clinique-sud.test");

            JsonNode limited = get(server, "?limit=1", 200);
            assertThat(limited.get("matched").asInt()).isEqualTo(3);
            assertThat(limited.get("entries")).hasSize(1);
            get(server, "?limit=0", 400);
            get(server, "?limit=1001", 400);
            get(server, "?limit=abc", 400);

            HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.webAdminPort() + "/mss/trust-list/entries")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }

    private static JsonNode get(TestServer server, String query, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.webAdminPort() + "/mss/trust-list/entries" + query))
            .header("Authorization", "Bearer " + server.webAdminToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
