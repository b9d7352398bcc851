package fr.mssante.operator.server.dmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.dmp.outbox.ClaimedSubmission;
import fr.mssante.operator.dmp.outbox.Code;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.DocumentAuthor;
import fr.mssante.operator.dmp.outbox.DocumentMetadata;
import fr.mssante.operator.dmp.outbox.Institution;
import fr.mssante.operator.dmp.outbox.OutboxState;
import fr.mssante.operator.dmp.outbox.PatientIdentity;
import fr.mssante.operator.dmp.outbox.RetryPolicy;
import fr.mssante.operator.dmp.outbox.Submission;
import fr.mssante.operator.server.testing.TestServer;

/**
 * {@code POST /mss/dmp/outbox/{id}/retry}: "retry now" for a submission that failed and waits for its next attempt
 * (due at once, idempotent, audited with its actor and Message-ID), refused 409 from any other state, 404 unknown.
 */
class DmpRetryRouteTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aFailedSubmissionIsRetriedNowOnlyFromItsRetryableStateAndTheRequestIsAudited() throws Exception {
        try (TestServer server = TestServer.start(Files.createTempDirectory("mss-dmp-retry-"), Map.of())) {
            DmpOutbox outbox = new DmpOutbox(server.runtime().database().dataSource(), Clock.systemUTC(), RetryPolicy.DEFAULT);
            long failed = outbox.enqueue(submission("<dmp-retry-1@test>", "1.2.250.9.1")).id();
            assertThat(post(server, failed).statusCode()).as("never tried").isEqualTo(409);
            ClaimedSubmission claimed = outbox.claimDue(10, Duration.ofMinutes(5)).stream()
                .filter(c -> c.id() == failed).findFirst().orElseThrow();
            assertThat(outbox.markFailedRetryable(claimed.claim(), "connection refused")).contains(OutboxState.QUEUED);
            assertThat(outbox.find(failed).orElseThrow().nextAttemptAt()).isAfter(Instant.now());

            HttpResponse<String> retried = post(server, failed);
            assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
            assertThat(retried.body()).contains("\"retry\":\"SCHEDULED\"").contains("\"state\":\"QUEUED\"");
            assertThat(outbox.find(failed).orElseThrow().nextAttemptAt()).isBeforeOrEqualTo(Instant.now());
            assertThat(outbox.find(failed).orElseThrow().attempts()).isEqualTo(1);
            assertThat(post(server, failed).statusCode()).as("idempotent").isEqualTo(200);

            long accepted = outbox.enqueue(submission("<dmp-retry-2@test>", "1.2.250.9.2")).id();
            ClaimedSubmission other = outbox.claimDue(10, Duration.ofMinutes(5)).stream()
                .filter(c -> c.id() == accepted).findFirst().orElseThrow();
            assertThat(outbox.markAccepted(other.claim())).isTrue();
            HttpResponse<String> refused = post(server, accepted);
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("ACCEPTED");
            assertThat(outbox.find(accepted).orElseThrow().state()).isEqualTo(OutboxState.ACCEPTED);
            assertThat(post(server, 987654321L).statusCode()).isEqualTo(404);

            String audit = get(server, "/mss/audit/events?type=DMP_RETRY_REQUESTED&messageId="
                + URLEncoder.encode("<dmp-retry-1@test>", StandardCharsets.UTF_8));
            assertThat(audit).contains("\"actor\":\"webadmin:").contains("retry now after 1 attempt(s)");
            assertThat(get(server, "/mss/audit/events?type=DMP_RETRY_REQUESTED&messageId="
                + URLEncoder.encode("<dmp-retry-2@test>", StandardCharsets.UTF_8))).doesNotContain("DMP_RETRY_REQUESTED");
        }
    }

    private static HttpResponse<String> post(TestServer server, long id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + "/mss/dmp/outbox/" + id + "/retry"))
            .header("Authorization", "Bearer " + server.webAdminToken()).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static String get(TestServer server, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + server.webAdminToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** A synthetic submission (INS from the ANS test range; no real person). */
    private static Submission submission(String messageId, String documentUniqueId) {
        byte[] cda = ("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><id root=\"" + documentUniqueId + "\"/></ClinicalDocument>")
            .getBytes(StandardCharsets.UTF_8);
        DocumentMetadata metadata = new DocumentMetadata(documentUniqueId, documentUniqueId + ".0", "Compte rendu",
            new Code("11502-2", "2.16.840.1.113883.6.1", "CR d'examens biologiques"),
            new Code("urn:ihe:lab:xd-lab:2008", "1.3.6.1.4.1.19376.1.2.3", "CR-BIO"),
            new Code("N", "2.16.840.1.113883.5.25", "Normal"), "fr-FR", Instant.parse("2026-11-20T10:15:00Z"), null, null,
            new PatientIdentity("279035121518989", "1.2.250.1.213.1.4.10", "CORSE", "FIGATELLIX", LocalDate.of(1988, 10, 12), "M"),
            new DocumentAuthor("810001234567", "KIT", "DOC", new Code("10", "1.2.250.1.71.1.2.7", "Médecin"), null),
            new Institution("Laboratoire de test", "3123456789"));
        return new Submission(messageId, "labo@lab.mssante.test", "810001234567", "text/xml", cda, null, metadata);
    }
}
