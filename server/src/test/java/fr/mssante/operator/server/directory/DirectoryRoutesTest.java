package fr.mssante.operator.server.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.directory.synthetic.SyntheticExtractionGenerator;
import fr.mssante.operator.server.testing.TestServer;

/** The console's directory page over WebAdmin: import now, the history, the stored diff, a look-up. */
class DirectoryRoutesTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(TestServer server, String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + server.webAdminToken())
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOperatorImportsFromTheConsoleAndReadsTheHistoryAndTheDiff() throws Exception {
        TestServer server = TestServer.shared();
        Path imports = Files.createDirectories(server.workingDirectory().resolve("var/directory"));
        SyntheticExtractionGenerator.Options options = new SyntheticExtractionGenerator.Options(21, 0, false, false, 0, 0);
        new SyntheticExtractionGenerator(options).writeMailboxes(imports.resolve("day1.txt"), 2_000);
        new SyntheticExtractionGenerator(options.withRevision(1)).writeMailboxes(imports.resolve("day2.txt"), 2_000);
        String known = new SyntheticExtractionGenerator(options).mailboxAddress(42);

        assertThat(call(server, "POST", "/mss/directory/imports?source=day1.txt&force=true").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(server, "day1.txt"));
        assertThat(call(server, "POST", "/mss/directory/imports?source=day2.txt").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(server, "day2.txt"));

        String latest = call(server, "GET", "/mss/directory/imports?dataset=MAILBOX&limit=1").body();
        assertThat(latest).contains("\"mode\":\"INCREMENTAL\"").contains("\"changed\":");
        String id = latest.replaceAll("(?s)^\\[\\{\"id\":(\\d+),.*", "$1");
        assertThat(call(server, "GET", "/mss/directory/imports/" + id).body()).contains("\"issues\":[]");
        assertThat(call(server, "GET", "/mss/directory/imports/" + id + "/changes?change=CHANGED&limit=5").body())
            .contains("\"change\":\"CHANGED\"").contains("delivery_line");
        assertThat(call(server, "GET", "/mss/directory/mailboxes/" + known).body()).contains("\"address\":\"" + known + "\"");
        assertThat(call(server, "GET", "/mss/directory/mailboxes/nobody@nowhere.test").statusCode()).isEqualTo(404);
    }

    private boolean applied(TestServer server, String entry) throws Exception {
        String latest = call(server, "GET", "/mss/directory/imports?limit=1").body();
        return latest.contains("\"entry\":\"" + entry + "\"") && latest.contains("\"status\":\"APPLIED\"");
    }

    @Test
    void theConsoleReadsNoLocalFileOutsideTheImportDirectory() throws Exception {
        TestServer server = TestServer.shared();
        for (String source : new String[] {"/etc/passwd", "../conf/smtpserver.xml", "file:///etc/passwd", ""}) {
            HttpResponse<String> response = call(server, "POST", "/mss/directory/imports?source="
                + URLEncoder.encode(source, StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(source).isEqualTo(400);
            assertThat(response.body()).contains("https:// URL");
        }
        assertThat(call(server, "GET", "/mss/directory/imports/x").statusCode()).isEqualTo(400);
        assertThat(call(server, "GET", "/mss/directory/imports?dataset=NOPE").statusCode()).isEqualTo(400);
    }
}
