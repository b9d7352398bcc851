package fr.mssante.operator.directory.refresh;

import com.sun.net.httpserver.HttpServer;
import fr.mssante.operator.directory.fhir.AnnuaireFhirClient;
import fr.mssante.operator.directory.fhir.FhirMailbox;
import fr.mssante.operator.directory.fhir.RateLimiter;
import fr.mssante.operator.directory.load.DirectoryImporter;
import fr.mssante.operator.directory.load.ImportListener;
import fr.mssante.operator.directory.load.ImportOptions;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.lookup.MailboxEntry;
import fr.mssante.operator.directory.source.SourceOpener;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import fr.mssante.operator.directory.testing.EmbeddedDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** On-demand refresh of single entries against a local stand-in of the Annuaire Santé FHIR API. */
class MailboxRefreshTest {

    private static final String KEY = "test-key";
    private static EmbeddedDirectory postgres;
    private static final SyntheticExtractionGenerator GENERATOR =
        new SyntheticExtractionGenerator(new SyntheticExtractionGenerator.Options(7, 0, false, false, 0, 0));
    /** Listed by the API; in the extraction generated below (mailbox 5) but not yet imported. */
    private static final String PUBLISHED = GENERATOR.mailboxAddress(5);

    @TempDir
    Path dir;
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private DataSource db;
    private MailboxRefresh refresh;
    private DirectoryLookup lookup;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedDirectory.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fhir/v2/", exchange -> {
            String query = URLDecoder.decode(exchange.getRequestURI().toString(), StandardCharsets.UTF_8);
            requests.add(query);
            boolean known = query.startsWith("/fhir/v2/Practitioner?") && query.endsWith("=" + PUBLISHED)
                && KEY.equals(exchange.getRequestHeaders().getFirst("ESANTE-API-KEY"));
            String body = "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": ["
                + (known ? practitioner(PUBLISHED) : "") + "]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        db = postgres.newDatabase();
        refresh = new MailboxRefresh(new AnnuaireFhirClient(HttpClient.newHttpClient(), base(), KEY,
            new RateLimiter(1000, Clock.systemUTC(), d -> { })), db, Clock.systemUTC());
        lookup = new DirectoryLookup(db);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/v2/");
    }

    private static String practitioner(String address) {
        return """
            {"resource": {"resourceType": "Practitioner", "id": "p5",
              "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "810000000005"}],
              "telecom": [{"system": "email", "value": "%s", "extension": [
                {"url": "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type",
                 "valueCoding": {"system": "https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie", "code": "MSSANTE"}},
                {"url": "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata",
                 "extension": [
                   {"url": "type", "valueCodeableConcept": {"coding": [{"code": "PER"}]}},
                   {"url": "service", "valueString": "Cardiologie"}]}]}]}}
            """.formatted(address);
    }

    @Test
    void anAddressTheExtractionLacksIsFoundOnceRefreshedUntilAnImportListsIt() throws Exception {
        assertThat(lookup.byAddress(PUBLISHED)).isEmpty();

        Optional<FhirMailbox> found = refresh.refresh(PUBLISHED.toUpperCase(java.util.Locale.ROOT));

        assertThat(found).map(FhirMailbox::type).contains("PER");
        assertThat(lookup.byAddress(PUBLISHED)).hasValueSatisfying(entry -> {
            assertThat(entry.address()).isEqualTo(PUBLISHED);
            assertThat(entry.kind()).isEqualTo("PER");
            assertThat(entry.service()).isEqualTo("Cardiologie");
        });
        assertThat(requests).anyMatch(r -> r.startsWith("/fhir/v2/Practitioner?mailbox-mss:exact="));

        Path extraction = dir.resolve("Extraction_Correspondance_MSSante.txt");
        GENERATOR.writeMailboxes(extraction, 50);
        new DirectoryImporter(db, new SourceOpener(HttpClient.newHttpClient(), dir), Clock.systemUTC())
            .importSource(extraction.toString(), ImportOptions.defaults(), ImportListener.NONE);

        assertThat(count("SELECT count(*) FROM directory.mailbox_refreshed")).as("the extraction lists it now").isZero();
        assertThat(lookup.byAddress(PUBLISHED)).map(MailboxEntry::lastName).isPresent();
    }

    @Test
    void anAddressTheApiDoesNotKnowIsRecordedAsSuchAndStaysUnknown() throws Exception {
        Optional<FhirMailbox> found = refresh.refresh("nobody@nowhere.mssante.fr");

        assertThat(found).isEmpty();
        assertThat(lookup.byAddress("nobody@nowhere.mssante.fr")).isEmpty();
        assertThat(count("SELECT count(*) FROM directory.mailbox_refreshed WHERE NOT found "
            + "AND address_key = 'nobody@nowhere.mssante.fr'")).isEqualTo(1);
        assertThat(requests).hasSize(3);
    }

    @Test
    void theCliRefreshesAnAddress() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.Map<String, String> env = java.util.Map.of("MSS_DB_URL", postgres.newDatabaseUrl(), "MSS_DB_USER",
            "postgres", "MSS_ANNUAIRE_API_KEY", KEY, "MSS_ANNUAIRE_URL", base().toString());

        int code = fr.mssante.operator.directory.cli.DirectoryCliAccess.run(env, out, "refresh", PUBLISHED);

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(PUBLISHED + ": PER, published by Practitioner/p5");
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
