package fr.mssante.operator.directory.source;

import com.sun.net.httpserver.HttpServer;
import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceOpenerTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private byte[] zip;

    @BeforeEach
    void serve() throws IOException {
        Path file = dir.resolve("source.zip");
        new SyntheticExtractionGenerator(SyntheticExtractionGenerator.Options.defaults())
            .writeZip(file, "Extraction_Correspondance_MSSante_202611230800.txt", true, 100);
        zip = Files.readAllBytes(file);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/extraction/Extraction_Correspondance_MSSante", exchange -> {
            exchange.getResponseHeaders().add("Content-Disposition",
                "attachment; filename=\"Extraction_Correspondance_MSSante_202611230800.zip\"");
            exchange.sendResponseHeaders(200, zip.length);
            exchange.getResponseBody().write(zip);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void downloadsAUrlNamesItFromContentDispositionAndDeletesItAfterwards() throws Exception {
        Path downloads = dir.resolve("downloads");
        OpenedSource source = new SourceOpener(HttpClient.newHttpClient(), downloads)
            .open(url("/extraction/Extraction_Correspondance_MSSante"));

        assertThat(source.name()).isEqualTo("Extraction_Correspondance_MSSante_202611230800.zip");
        assertThat(source.entries()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("Extraction_Correspondance_MSSante_202611230800.txt");
            try (InputStream in = e.open()) {
                assertThat(new String(in.readNBytes(11), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("Type de BAL");
            }
        });
        assertThat(Files.list(downloads)).hasSize(1);
        source.close();
        assertThat(Files.list(downloads)).isEmpty();
    }

    @Test
    void anHttpErrorIsReported() {
        assertThatThrownBy(() -> new SourceOpener(HttpClient.newHttpClient(), dir).open(url("/missing")))
            .isInstanceOf(IOException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void contentDispositionFileNamesAreReducedToTheirLastSegment() {
        assertThat(SourceOpener.fileName("attachment; filename=\"../../etc/PS_LibreAcces_201808011050.zip\""))
            .isEqualTo("PS_LibreAcces_201808011050.zip");
        assertThat(SourceOpener.fileName("attachment")).isEqualTo("download");
    }
}
