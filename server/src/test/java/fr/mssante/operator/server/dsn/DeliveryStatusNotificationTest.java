package fr.mssante.operator.server.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Our DSNs, as the senders' clients receive them, parsed by a strict RFC 3464 checker (Python's {@code email}
 * package under {@code policy.strict} plus field checks: {@code src/test/resources/dsn/check_dsn.py}): a failure for
 * an unknown local recipient (NOTIFY=FAILURE, ORCPT), a failure for a domain not in the liste blanche, a success
 * (NOTIFY=SUCCESS) on local delivery. And an MDN, which is a report too, goes through untouched.
 */
class DeliveryStatusNotificationTest {
    private static final String HELO_NAME = "mx1.operateur-dsn.test";
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;

    @TempDir
    static Path workingDirectory;
    private static TestServer server;
    private static MailClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(workingDirectory, Map.of("mss.helo.name", HELO_NAME));
        client = new MailClient(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void failureForAnUnknownLocalRecipientCarriesTheOriginalRecipientAndABareStatus() throws Exception {
        String token = "unknown-local-" + UUID.randomUUID();
        // accepted at RCPT (the alias exists), then rewritten to an address that has no mailbox
        String alias = "ancien.cabinet-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DemoData.DOMAIN;
        String missing = "parti-" + UUID.randomUUID().toString().substring(0, 8) + "@" + DemoData.DOMAIN;
        webAdminPut("/address/aliases/" + encode(missing) + "/sources/" + encode(alias));

        client.submitWithDsn(ALICE, alias, "NOTIFY=FAILURE ORCPT=rfc822;" + alias, message(ALICE, alias, token));

        JsonNode dsn = strictlyParsedDsn(ALICE, token);
        assertThat(dsn.path("perMessage").path("reporting-mta").asText()).isEqualTo("dns; " + HELO_NAME);
        assertThat(dsn.path("perMessage").path("arrival-date").asText()).isNotBlank();
        assertThat(dsn.path("perMessage").path("original-envelope-id").asText()).startsWith("env-");
        assertThat(dsn.path("recipients")).hasSize(1);
        JsonNode recipient = dsn.path("recipients").get(0);
        assertThat(recipient.path("final-recipient").asText()).isEqualTo("rfc822; " + missing);
        assertThat(recipient.path("original-recipient").asText()).isEqualTo("rfc822; " + alias);
        assertThat(recipient.path("action").asText()).isEqualTo("failed");
        assertThat(recipient.path("status").asText()).isEqualTo("5.1.1");
        assertThat(recipient.path("diagnostic-code").asText()).startsWith("X-MSS; ").contains("no such user");
        assertThat(dsn.path("returned").asText()).isEqualTo("text/rfc822-headers"); // RET=HDRS
        assertThat(dsn.path("returnedHeaders").asText()).contains(token);
        assertThat(dsn.path("autoSubmitted").asText()).isEqualTo("auto-replied");
    }

    @Test
    void failureForADomainOutsideTheListeBlancheHasTheCodeInStatusAndTheTextInDiagnosticCode() throws Exception {
        String token = "not-listed-" + UUID.randomUUID();
        String stranger = "dr.inconnu@domaine-hors-liste.test";

        client.submitWithDsn(ALICE, stranger, "NOTIFY=FAILURE", message(ALICE, stranger, token));

        JsonNode dsn = strictlyParsedDsn(ALICE, token);
        assertThat(dsn.path("perMessage").path("reporting-mta").asText()).isEqualTo("dns; " + HELO_NAME);
        JsonNode recipient = dsn.path("recipients").get(0);
        assertThat(recipient.path("final-recipient").asText()).isEqualTo("rfc822; " + stranger);
        assertThat(recipient.has("original-recipient")).isFalse();
        assertThat(recipient.path("action").asText()).isEqualTo("failed");
        assertThat(recipient.path("status").asText()).matches("5\\.7\\.\\d+");
        // our own refusal, not a remote reply: no Remote-MTA, a non-smtp diagnostic type
        assertThat(recipient.has("remote-mta")).isFalse();
        assertThat(recipient.path("diagnostic-code").asText()).startsWith("X-MSS; ").contains("liste blanche");
    }

    @Test
    void successOnLocalDeliveryIsADeliveredReport() throws Exception {
        String token = "delivered-" + UUID.randomUUID();

        client.submitWithDsn(ALICE, BRUNO, "NOTIFY=SUCCESS ORCPT=rfc822;" + BRUNO, message(ALICE, BRUNO, token));

        JsonNode dsn = strictlyParsedDsn(ALICE, token);
        assertThat(dsn.path("perMessage").path("reporting-mta").asText()).isEqualTo("dns; " + HELO_NAME);
        JsonNode recipient = dsn.path("recipients").get(0);
        assertThat(recipient.path("final-recipient").asText()).isEqualTo("rfc822; " + BRUNO);
        assertThat(recipient.path("original-recipient").asText()).isEqualTo("rfc822; " + BRUNO);
        assertThat(recipient.path("action").asText()).isEqualTo("delivered");
        assertThat(recipient.path("status").asText()).isEqualTo("2.0.0");
        assertThat(recipient.has("diagnostic-code")).isFalse();
    }

    @Test
    void aMessageDispositionNotificationPassesThroughUntouched() throws Exception {
        String token = "mdn-" + UUID.randomUUID();
        String disposition = "Reporting-UA: cabinet.demo.mss.test; Thunderbird\r\n"
            + "Original-Recipient: rfc822;" + BRUNO + "\r\n"
            + "Final-Recipient: rfc822;" + BRUNO + "\r\n"
            + "Original-Message-ID: <" + token + "@demo.mss.test>\r\n"
            + "Disposition: manual-action/MDN-sent-manually; displayed\r\n";
        String mdn = "From: " + BRUNO + "\r\nTo: " + ALICE + "\r\nSubject: Accuse de lecture " + token + "\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"mdn-boundary\"\r\n\r\n"
            + "--mdn-boundary\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nThe message was displayed.\r\n"
            + "--mdn-boundary\r\nContent-Type: message/disposition-notification\r\n\r\n" + disposition
            + "\r\n--mdn-boundary--\r\n";

        client.submitWithDsn(BRUNO, ALICE, "", Mdn.data(mdn));

        byte[] stored = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> messagesContaining(ALICE, token), found -> !found.isEmpty()).get(0);
        String text = new String(stored, StandardCharsets.US_ASCII);
        assertThat(text).contains("Content-Type: multipart/report; report-type=disposition-notification; boundary=\"mdn-boundary\"")
            .contains("Content-Type: message/disposition-notification\r\n\r\n" + disposition + "\r\n--mdn-boundary--");
    }

    /**
     * RFC 8098 end to end on one server: a message asking for a read receipt (Disposition-Notification-To) reaches
     * the recipient with that request intact, and the MDN the recipient's client sends back reaches the sender byte
     * for byte: the same body (report parts, boundary, the message/disposition-notification fields, the returned
     * headers), every header the client wrote, nothing of ours inside the report.
     */
    @Test
    void aReadReceiptRequestAndTheMdnAnsweringItAreDeliveredByteForByte() throws Exception {
        String token = "dnt-" + UUID.randomUUID();
        String request = Mdn.requestingReadReceipt(ALICE, BRUNO, token);
        client.submitWithDsn(ALICE, BRUNO, "", Mdn.data(request));
        byte[] received = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> messagesContaining(BRUNO, token), found -> !found.isEmpty()).get(0);
        Mdn.assertDeliveredUntouched(request, received);

        String mdn = Mdn.answering(BRUNO, ALICE, token);
        client.submitWithDsn(BRUNO, ALICE, "", Mdn.data(mdn));
        byte[] stored = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> messagesContaining(ALICE, "Accuse de lecture " + token), found -> !found.isEmpty()).get(0);
        Mdn.assertDeliveredUntouched(mdn, stored);
    }

    private static String message(String from, String to, String token) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + token + "\r\nMessage-ID: <" + token + "@demo.mss.test>\r\n\r\nCompte rendu " + token;
    }

    /** Waits for the DSN about {@code token} in the sender's mailbox and runs the strict checker on it. */
    private static JsonNode strictlyParsedDsn(String sender, String token) throws Exception {
        byte[] dsn = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> messagesContaining(sender, token).stream().filter(StrictDsnChecker::isDeliveryReport).toList(),
                found -> !found.isEmpty()).get(0);
        return StrictDsnChecker.check(dsn);
    }

    private static List<byte[]> messagesContaining(String user, String token) throws Exception {
        List<byte[]> found = new ArrayList<>();
        try (Store store = client.imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message message : inbox.getMessages()) {
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                message.writeTo(raw);
                if (raw.toString(StandardCharsets.ISO_8859_1).contains(token)) {
                    found.add(raw.toByteArray());
                }
            }
            inbox.close(false);
        }
        return found;
    }

    private static void webAdminPut(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
                .header("Authorization", "Bearer " + server.webAdminToken())
                .PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
