package fr.mssante.operator.trust.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import fr.mssante.operator.trust.testpki.IssuedCertificate;
import fr.mssante.operator.trust.testpki.TestPki;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsTrustListSourceTest {
    private static final byte[] BODY = "<ListeBlancheMSSante/>".getBytes(StandardCharsets.UTF_8);
    private static TestPki pki;
    private static HttpsServer server;
    private static URI uri;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.generate();
        IssuedCertificate id = pki.issue("CN=localhost,O=TEST LISTE BLANCHE,C=FR");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", id.privateKey(), new char[0], id.chainArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("localhost", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/listeblanchemssante.xml", ex -> {
            ex.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(BODY);
            }
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        uri = URI.create("https://localhost:" + server.getAddress().getPort() + "/listeblanchemssante.xml");
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void downloadsFromAServerChainingToTheConfiguredRoots() throws IOException {
        HttpsTrustListSource source = new HttpsTrustListSource(uri, List.of(pki.root()), Duration.ofSeconds(5),
                1 << 20);

        FetchedDocument doc = source.fetch();

        assertThat(doc.content()).isEqualTo(BODY);
        assertThat(doc.origin()).isEqualTo(uri.toString());
    }

    @Test
    void refusesAServerOutsideTheConfiguredRoots() {
        HttpsTrustListSource source = new HttpsTrustListSource(uri, List.of(pki.foreignRoot()), Duration.ofSeconds(5),
                1 << 20);

        assertThatThrownBy(source::fetch).isInstanceOf(IOException.class);
    }

    @Test
    void refusesHttpErrorsAndOversizedBodies() {
        URI missing = uri.resolve("/missing");
        assertThatThrownBy(() -> new HttpsTrustListSource(missing, List.of(pki.root()), Duration.ofSeconds(5), 1 << 20)
                .fetch()).hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> new HttpsTrustListSource(uri, List.of(pki.root()), Duration.ofSeconds(5), 5).fetch())
                .hasMessageContaining("larger than 5 bytes");
    }

    @Test
    void settingSelectsHttpsOrFileAndRefusesPlainHttp(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("lb.xml");
        Files.write(file, BODY);

        assertThat(TrustListSources.fromSetting(uri.toString(), List.of(pki.root()), Duration.ofSeconds(5), 1 << 20))
                .isInstanceOf(HttpsTrustListSource.class);
        assertThat(TrustListSources.fromSetting(file.toString(), List.of(), Duration.ofSeconds(5), 1 << 20).fetch()
                .content()).isEqualTo(BODY);
        assertThat(TrustListSources.fromSetting(file.toUri().toString(), List.of(), Duration.ofSeconds(5), 1 << 20)
                .describe()).isEqualTo(file.toString());
        assertThatThrownBy(() -> TrustListSources.fromSetting("http://example.org/lb.xml", List.of(pki.root()),
                Duration.ofSeconds(5), 1 << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustListSources.fromSetting(" ", List.of(), Duration.ofSeconds(5), 1 << 20))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
