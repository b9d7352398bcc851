package fr.mssante.operator.directory.fhir;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a local stand-in of the Annuaire Santé FHIR API (bundles shaped as in the ANS IG examples). */
class AnnuaireFhirClientTest {

    private static final String KEY = "test-key-" + System.nanoTime();
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private AnnuaireFhirClient client;

    private static String practitioner(String id, String address, String type, boolean listeRouge) {
        return """
            {"resource": {"resourceType": "Practitioner", "id": "%s",
              "telecom": [
                {"system": "email", "value": "perso@example.org"},
                {"system": "email", "value": "%s", "extension": [
                  {"url": "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type",
                   "valueCoding": {"system": "https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie", "code": "MSSANTE"}},
                  {"url": "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata",
                   "extension": [
                     {"url": "type", "valueCodeableConcept": {"coding": [{"code": "%s"}]}},
                     {"url": "description", "valueString": "BAL de test"},
                     {"url": "listeRouge", "valueBoolean": %s}]}]}]}}
            """.formatted(id, address, type, listeRouge);
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir/v2/", exchange -> {
            String query = exchange.getRequestURI().toString();
            requests.add(query);
            keys.add(exchange.getRequestHeaders().getFirst("ESANTE-API-KEY"));
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/v2/";
            String body;
            int status = 200;
            if (!KEY.equals(exchange.getRequestHeaders().getFirst("ESANTE-API-KEY"))) {
                status = 401;
                body = "{\"resourceType\": \"OperationOutcome\", \"issue\": [{\"diagnostics\": \"invalid key\"}]}";
            } else if (query.contains("Practitioner?identifier=") && !query.contains("page=2")) {
                body = "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"link\": [{\"relation\": \"self\", \"url\": \"x\"},"
                    + "{\"relation\": \"next\", \"url\": \"" + base + "Practitioner?identifier=x&page=2\"}], \"entry\": ["
                    + practitioner("p1", "helene.dupont@medecin.mssante.fr", "PER", false) + "]}";
            } else if (query.contains("page=2")) {
                body = "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": ["
                    + practitioner("p1", "h.dupont@chu.mssante.fr", "PER", true) + "]}";
            } else {
                body = "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": []}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        client = new AnnuaireFhirClient(HttpClient.newHttpClient(),
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/v2"), KEY,
            new RateLimiter(1000, Clock.systemUTC(), d -> { }));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void followsNextLinksAndReadsTheMssantéMailboxesOnly() throws Exception {
        List<FhirMailbox> mailboxes = client.mailboxesOfProfessional("810001234567");

        assertThat(mailboxes).extracting(FhirMailbox::address, FhirMailbox::type, FhirMailbox::listeRouge)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("helene.dupont@medecin.mssante.fr", "PER", false),
                org.assertj.core.groups.Tuple.tuple("h.dupont@chu.mssante.fr", "PER", true));
        assertThat(mailboxes.get(0).owner()).isEqualTo("Practitioner/p1");
        assertThat(mailboxes.get(0).description()).isEqualTo("BAL de test");
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0)).contains("Practitioner?identifier=urn%3Aoid%3A1.2.250.1.71.4.2.1%7C810001234567");
        assertThat(requests.get(2)).startsWith("/fhir/v2/PractitionerRole?practitioner.identifier=");
        assertThat(keys).containsOnly(KEY);
    }

    @Test
    void anErrorCarriesTheOperationOutcomeDiagnostics() {
        AnnuaireFhirClient wrongKey = new AnnuaireFhirClient(HttpClient.newHttpClient(),
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/v2/"), "wrong",
            new RateLimiter(1000, Clock.systemUTC(), d -> { }));

        assertThatThrownBy(() -> wrongKey.findMailbox("a@b.mssante.fr"))
            .isInstanceOfSatisfying(FhirException.class, e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).contains("invalid key");
            });
    }

    @Test
    void theRateLimiterSpacesCallsToSeventeenASecond() throws Exception {
        Instant[] now = {Instant.parse("2026-11-23T10:00:00Z")};
        List<Duration> waits = new ArrayList<>();
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        RateLimiter limiter = new RateLimiter(17, clock, d -> {
            waits.add(d);
            now[0] = now[0].plus(d);
        });

        for (int i = 0; i < 18; i++) {
            limiter.acquire();
        }

        assertThat(waits).hasSize(17).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofNanos(58_823_529)));
        assertThat(Duration.between(Instant.parse("2026-11-23T10:00:00Z"), now[0])).isLessThan(Duration.ofSeconds(1));
        now[0] = now[0].plusSeconds(5);
        limiter.acquire();
        assertThat(waits).as("no wait after a pause").hasSize(17);
    }
}
