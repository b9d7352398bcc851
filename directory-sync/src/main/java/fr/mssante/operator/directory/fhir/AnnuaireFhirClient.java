package fr.mssante.operator.directory.fhir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-entry lookups in the Annuaire Santé FHIR API v2 ({@code https://gateway.api.esante.gouv.fr/fhir/v2}): API key
 * in the {@code ESANTE-API-KEY} header, at most 17 calls a second, search results followed page by page through the
 * Bundle's {@code next} link. Used to refresh one entry on demand; the bulk data comes from the extraction files.
 */
public final class AnnuaireFhirClient {

    public static final URI PRODUCTION = URI.create("https://gateway.api.esante.gouv.fr/fhir/v2/");
    static final String MSS_METADATA =
        "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata";
    static final String IDNAT_PS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1";
    private static final Logger LOG = LoggerFactory.getLogger(AnnuaireFhirClient.class);
    private static final int MAX_PAGES = 50;
    private static final int MAX_RETRIES = 3;

    private final HttpClient http;
    private final URI base;
    private final String apiKey;
    private final RateLimiter limiter;
    private final ObjectMapper json = new ObjectMapper();

    public AnnuaireFhirClient(HttpClient http, URI base, String apiKey, RateLimiter limiter) {
        this.http = http;
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.apiKey = apiKey;
        this.limiter = limiter;
    }

    /** MSSanté mailboxes on the Practitioner and PractitionerRole resources of a professional (IdNat_PS). */
    public List<FhirMailbox> mailboxesOfProfessional(String nationalId) throws IOException, FhirException,
        InterruptedException {
        String identifier = encode(IDNAT_PS_SYSTEM + "|" + nationalId);
        List<FhirMailbox> out = new ArrayList<>();
        out.addAll(search("Practitioner?identifier=" + identifier, nationalId));
        out.addAll(search("PractitionerRole?practitioner.identifier=" + identifier, nationalId));
        return out;
    }

    /** Who publishes this mailbox address: Practitioner, PractitionerRole and Organization resources. */
    public List<FhirMailbox> findMailbox(String address) throws IOException, FhirException, InterruptedException {
        String param = "mailbox-mss:exact=" + encode(address);
        List<FhirMailbox> out = new ArrayList<>();
        for (String type : List.of("Practitioner", "PractitionerRole", "Organization")) {
            search(type + "?" + param, null).stream().filter(m -> m.address().equalsIgnoreCase(address)).forEach(out::add);
        }
        return out;
    }

    /** Runs a search relative to the base URL and follows the {@code next} links. */
    List<FhirMailbox> search(String relative, String nationalId) throws IOException, FhirException,
        InterruptedException {
        List<FhirMailbox> out = new ArrayList<>();
        URI next = base.resolve(relative);
        for (int page = 0; next != null; page++) {
            if (page >= MAX_PAGES) {
                throw new FhirException(0, "more than " + MAX_PAGES + " pages for " + relative);
            }
            JsonNode bundle = get(next);
            for (JsonNode entry : bundle.path("entry")) {
                out.addAll(FhirTelecomReader.mailboxes(entry.path("resource"), nationalId));
            }
            next = nextLink(bundle);
        }
        return out;
    }

    private JsonNode get(URI uri) throws IOException, FhirException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            limiter.acquire();
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("ESANTE-API-KEY", apiKey).header("Accept", "application/fhir+json").GET().build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            if (status == 429 && attempt < MAX_RETRIES) {
                LOG.debug("FHIR API rate limit hit, retrying");
                continue;
            }
            if (status != 200) {
                throw new FhirException(status, "FHIR API HTTP " + status + ": " + diagnostics(response.body()));
            }
            return json.readTree(response.body());
        }
    }

    private URI nextLink(JsonNode bundle) {
        for (JsonNode link : bundle.path("link")) {
            if ("next".equals(link.path("relation").asText())) {
                return base.resolve(link.path("url").asText());
            }
        }
        return null;
    }

    private String diagnostics(byte[] body) {
        try {
            JsonNode outcome = json.readTree(body);
            return outcome.path("issue").path(0).path("diagnostics").asText("no diagnostics");
        } catch (IOException e) {
            return "unreadable body";
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
