package fr.mssante.operator.dmp.standin;

import fr.mssante.operator.dmp.standin.store.DocumentStore;
import fr.mssante.operator.dmp.standin.store.StandInDatabase;
import fr.mssante.operator.dmp.standin.store.StoredDocument;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stand-in's store and HTTP surface without the connector (the connector module tests ITI-41/18 end to end). */
class DmpStandInTest {
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    @BeforeAll
    static void database() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        StandInDatabase.migrate(dataSource);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static StoredDocument document(String uniqueId, String hash) {
        return new StoredDocument(uniqueId, "urn:uuid:" + uniqueId, "2.25.1", "2.25.2",
            "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH", "11502-2^CR^2.16.840.1.113883.6.1", null,
            "urn:ihe:lab:xd-lab:2008^^1.3.6.1.4.1.19376.1.2.3", null, null, null, "CR", "text/xml", "fr-FR",
            "20261120161000", null, null, 3, hash, "APPROVED", "810001234567", "CN=test", Instant.now());
    }

    @Test
    void aSubmissionIsStoredWhollyOrNotAtAll() throws Exception {
        DocumentStore store = new DocumentStore(dataSource);
        byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
        assertThat(store.storeAll(List.of(document("1.1", "aa")), List.of(content)))
            .containsExactly(DocumentStore.Insertion.STORED);

        List<DocumentStore.Insertion> second = store.storeAll(List.of(document("1.2", "bb"), document("1.1", "aa"),
            document("1.3", "cc")), List.of(content, content, content));
        assertThat(second).contains(DocumentStore.Insertion.DUPLICATE_SAME_HASH);
        assertThat(store.find("1.2")).as("rolled back with its submission").isEmpty();
        assertThat(store.storeAll(List.of(document("1.1", "zz")), List.of(content)))
            .containsExactly(DocumentStore.Insertion.DUPLICATE_OTHER_HASH);
        assertThat(store.content("1.1")).hasValue(content);
    }

    @Test
    void servesTheJsonViewOverPlainHttpWhenAllowed(@TempDir Path work) throws Exception {
        StandInSettings settings = new StandInSettings("127.0.0.1", 0, null, true, List.of(dummyCa()), Set.of(),
            work);
        try (DmpStandIn standIn = DmpStandIn.start(settings, dataSource, Clock.systemUTC())) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + standIn.port() + "/documents")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("application/json"));
            assertThat(list.body()).contains("\"documents\"");

            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + standIn.port() + "/documents/9.9.9")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);

            HttpResponse<String> wsdl = http.send(HttpRequest.newBuilder(URI.create(
                standIn.repositoryUrl("127.0.0.1") + "?wsdl")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wsdl.statusCode()).isEqualTo(200);
            assertThat(wsdl.body()).contains("ProvideAndRegisterDocumentSet");
        }
    }

    @Test
    void plainHttpMustBeAllowedExplicitly(@TempDir Path work) {
        assertThatThrownBy(() -> new StandInSettings("127.0.0.1", 0, null, false, List.of(dummyCa()), Set.of(),
            work)).hasMessageContaining("plain HTTP");
    }

    /** Any certificate will do as VIHF anchor here: these tests send no VIHF. The JDK's default trust has some. */
    private static java.security.cert.X509Certificate dummyCa() throws Exception {
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init((java.security.KeyStore) null);
        return ((javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers()[0];
    }
}
