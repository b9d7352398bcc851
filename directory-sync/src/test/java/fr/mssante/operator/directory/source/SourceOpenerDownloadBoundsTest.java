package fr.mssante.operator.directory.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import fr.mssante.operator.directory.testing.TestTls;

/**
 * Issue 12 #8 (directory import from an https URL): redirects are followed only to the same scheme, host and port,
 * and the download is capped, against in-JVM HTTPS and HTTP servers. {@code 127.0.0.1} and {@code localhost} name the
 * same server but are different hosts for the rule.
 */
class SourceOpenerDownloadBoundsTest {
    private static TestTls tls;

    @TempDir
    Path dir;
    private HttpsServer https;
    private HttpServer plain;
    private byte[] zip;
    private final List<String> served = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void pki() throws Exception {
        tls = TestTls.generate();
    }

    @BeforeEach
    void serve() throws Exception {
        Path file = dir.resolve("source.zip");
        new SyntheticExtractionGenerator(SyntheticExtractionGenerator.Options.defaults())
            .writeZip(file, "Extraction_Correspondance_MSSante_202611230800.txt", true, 100);
        zip = Files.readAllBytes(file);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(tls.serverKeyManagers(), null, null);
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(server));
        plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (HttpServer s : List.of(https, plain)) {
            s.createContext("/", this::handle);
            s.start();
        }
    }

    @AfterEach
    void stop() {
        https.stop(0);
        plain.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        served.add(path);
        int httpsPort = https.getAddress().getPort();
        switch (path) {
            case "/extraction.zip" -> {
                exchange.sendResponseHeaders(200, zip.length);
                exchange.getResponseBody().write(zip);
            }
            case "/streamed.zip" -> {
                // no Content-Length (chunked): the cap must cut the transfer itself
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write(zip);
            }
            case "/same-host" -> redirect(exchange, "/extraction.zip");
            case "/same-host-absolute" -> redirect(exchange, "https://127.0.0.1:" + httpsPort + "/extraction.zip");
            case "/other-host" -> redirect(exchange, "https://localhost:" + httpsPort + "/extraction.zip");
            case "/other-port" -> redirect(exchange, "https://127.0.0.1:" + plain.getAddress().getPort() + "/extraction.zip");
            case "/downgrade" -> redirect(exchange, "http://127.0.0.1:" + httpsPort + "/extraction.zip");
            case "/loop" -> redirect(exchange, "/loop");
            case "/plain-other-host" -> redirect(exchange, "http://localhost:" + plain.getAddress().getPort() + "/extraction.zip");
            default -> exchange.sendResponseHeaders(404, -1);
        }
        exchange.close();
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private SourceOpener opener(DownloadLimits limits) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(tls.clientContext()).followRedirects(HttpClient.Redirect.NEVER).build();
        return new SourceOpener(client, dir.resolve("downloads"), limits);
    }

    private String url(String path) {
        return "https://127.0.0.1:" + https.getAddress().getPort() + path;
    }

    private long leftOver() throws IOException {
        Path downloads = dir.resolve("downloads");
        if (!Files.exists(downloads)) {
            return 0;
        }
        try (var files = Files.list(downloads)) {
            return files.count();
        }
    }

    @Test
    void aRedirectOnTheSameHostIsFollowed() throws Exception {
        for (String path : List.of("/same-host", "/same-host-absolute")) {
            try (OpenedSource source = opener(DownloadLimits.DEFAULT).open(url(path))) {
                assertThat(source.entries()).singleElement()
                    .satisfies(e -> assertThat(e.name()).isEqualTo("Extraction_Correspondance_MSSante_202611230800.txt"));
            }
        }
        assertThat(leftOver()).isZero();
    }

    @Test
    void aRedirectToAnotherHostPortOrSchemeIsRefused() throws Exception {
        for (String path : List.of("/other-host", "/other-port", "/downgrade")) {
            served.clear();
            assertThatThrownBy(() -> opener(DownloadLimits.DEFAULT).open(url(path))).as(path)
                .isInstanceOf(IOException.class).hasMessageContaining("only redirects to the same scheme, host and port are followed");
            assertThat(served).as(path).containsExactly(path);
        }
        assertThat(leftOver()).isZero();
    }

    @Test
    void theDefaultOpenerDoesNotFollowARedirectToAnotherHost() throws Exception {
        String url = "http://127.0.0.1:" + plain.getAddress().getPort() + "/plain-other-host";
        assertThatThrownBy(() -> SourceOpener.withDefaults().open(url)).isInstanceOf(IOException.class)
            .hasMessageContaining("only redirects to the same scheme, host and port are followed");
        assertThat(served).containsExactly("/plain-other-host");
    }

    @Test
    void redirectsAreCountedAndCanBeTurnedOff() throws Exception {
        assertThatThrownBy(() -> opener(DownloadLimits.DEFAULT).open(url("/loop")))
            .isInstanceOf(IOException.class).hasMessageContaining("more than 5 redirects");
        assertThat(served).hasSize(6);
        assertThatThrownBy(() -> opener(new DownloadLimits(1L << 30, 0)).open(url("/same-host")))
            .isInstanceOf(IOException.class).hasMessageContaining("more than 0 redirects");
    }

    @Test
    void aDownloadOverTheCapIsRefusedWhetherAnnouncedOrStreamed() throws Exception {
        DownloadLimits small = new DownloadLimits(zip.length - 1, 5);
        assertThatThrownBy(() -> opener(small).open(url("/extraction.zip")))
            .isInstanceOf(IOException.class).hasMessageContaining("announces " + zip.length + " bytes, more than the cap of")
            .hasMessageContaining("MSS_DIRECTORY_DOWNLOAD_MAX_BYTES");
        assertThatThrownBy(() -> opener(small).open(url("/streamed.zip")))
            .isInstanceOf(IOException.class).hasMessageContaining("sends more than the cap of " + (zip.length - 1) + " bytes");
        assertThat(leftOver()).isZero();
        try (OpenedSource exact = opener(new DownloadLimits(zip.length, 5)).open(url("/streamed.zip"))) {
            assertThat(exact.entries()).hasSize(1);
        }
    }

    @Test
    void aClientThatFollowsRedirectsItselfIsNotAccepted() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThatThrownBy(() -> new SourceOpener(following, dir, DownloadLimits.DEFAULT))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DownloadLimits(0, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
