package fr.mssante.operator.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.mail.Message;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.ImapDialogue;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Issue 14, must-show 2: the audit trail of a scripted day on a real server is exactly what happened (who, what,
 * outcome), and no row — nor the CSV export — holds a subject, a body or an attachment name.
 */
class AuditTrailTest {
    static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    static final String LAB = "laboratoire.resultats@" + DemoData.DOMAIN;
    static TestServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("mss-audit-"), Map.of());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ---- the day's acts -------------------------------------------------------------------------------------------

    /** Alice writes to Bruno (submission, STARTTLS and password): accepted and delivered. */
    static void accepted(String subject, String body) throws Exception {
        MailClient client = new MailClient(server);
        client.submit(ALICE, client.newMessage(ALICE, BRUNO, subject, body));
    }

    /** The MX refuses an unknown local recipient at RCPT. */
    static void refusedAtTheMx() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx.demo.mss.test");
            smtp.startTls(server.operatorTls());
            smtp.command("EHLO mx.demo.mss.test");
            assertThat(smtp.command("MAIL FROM:<>")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<personne@" + DemoData.DOMAIN + ">")).startsWith("550");
        }
    }

    /** Alice writes to an operator that is not in the liste blanche: accepted, then bounced (with a DSN). */
    static void bounced(String subject, String body) throws Exception {
        MailClient client = new MailClient(server);
        client.submit(ALICE, client.newMessage(ALICE, "dr.x@jamais-liste.test", subject, body));
    }

    /** The lab sends a CR-BIO to Alice; its policy files it into the DMP outbox (or notifies an integration error). */
    static void labSends(String subject, byte[] zip, String attachmentName) throws Exception {
        MimeBodyPart attachment = TestDocuments.attachment(zip, attachmentName, "application/zip");
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        MimeMessage message = TestDocuments.message(subject, TestDocuments.text("Résultats en pièce jointe"), attachment);
        message.setFrom(LAB);
        message.setRecipients(Message.RecipientType.TO, ALICE);
        message.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        message.writeTo(raw);
        Path pki = server.workingDirectory().resolve("var/dev/pki");
        try (SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS),
            server.tlsWithClientCertificate(pki.resolve("laboratoire-chain.pem"), pki.resolve("laboratoire-key.pem")))) {
            smtp.reply();
            smtp.command("EHLO lab.test");
            assertThat(smtp.command("AUTH EXTERNAL =")).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + LAB + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            String body = raw.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n").replace("\r\n.", "\r\n..");
            assertThat(smtp.command(body + "\r\n.")).startsWith("250");
        }
    }

    static byte[] cda(String extension) {
        return TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML",
            TestDocuments.cda().withId("1.2.250.1.999.14", extension))), false);
    }

    static void failedLogin() throws Exception {
        try (ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS), server.clientTls())) {
            assertThat(imap.status("LOGIN " + BRUNO + " pas-le-bon-mot-de-passe")).contains("NO");
        }
    }

    static HttpResponse<String> webAdmin(String method, String path, String token, String actor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (actor != null) {
            request.header("X-MSS-Actor", actor);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String consoleToken() throws Exception {
        return Files.readString(server.workingDirectory().resolve("var/dev/console.token")).trim();
    }

    // ---- reading the trail ----------------------------------------------------------------------------------------

    static long lastId() throws Exception {
        try (Connection c = server.runtime().database().dataSource().getConnection();
             PreparedStatement query = c.prepareStatement("SELECT coalesce(max(id), 0) FROM mss.message_event");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Every column of every row after {@code afterId}, as text. */
    static List<Map<String, String>> rowsAfter(long afterId) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = server.runtime().database().dataSource().getConnection();
             PreparedStatement query = c.prepareStatement("SELECT * FROM mss.message_event WHERE id > ? ORDER BY id")) {
            query.setLong(1, afterId);
            try (ResultSet result = query.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                while (result.next()) {
                    Map<String, String> row = new java.util.LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        Object value = result.getObject(i);
                        row.put(meta.getColumnName(i), value instanceof java.sql.Array array
                            ? String.join(",", (String[]) array.getArray()) : String.valueOf(value));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    static List<String> summary(List<Map<String, String>> rows) {
        return rows.stream().map(row -> row.get("event") + " " + row.get("outcome") + " " + row.get("actor")).sorted().toList();
    }

    @Test
    void aScriptedDayProducesExactlyTheExpectedRows() throws Exception {
        long before = lastId();
        accepted("Bonjour " + UUID.randomUUID(), "corps");
        refusedAtTheMx();
        bounced("Rebond " + UUID.randomUUID(), "corps");
        labSends("CR-BIO " + UUID.randomUUID(), cda("DAY-FILED"), "IHE_XDM.ZIP");
        labSends("CR-BIO illisible " + UUID.randomUUID(), "pas un zip".getBytes(StandardCharsets.US_ASCII), "IHE_XDM.ZIP");
        failedLogin();
        assertThat(webAdmin("PUT", "/domains/console-day.test", consoleToken(), "operateur1").statusCode()).isEqualTo(204);
        assertThat(webAdmin("DELETE", "/domains/console-day.test", server.webAdminToken(), null).statusCode()).isEqualTo(204);

        String labDn = "C=FR,O=MSS DEVELOPMENT ONLY,OU=" + DemoData.LAB_STRUCTURE_ID + ",CN=" + LAB;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
            assertThat(summary(rowsAfter(before))).containsExactlyInAnyOrder(
                // accepted: Alice logs in, the message is received and delivered to Bruno
                "AUTH_SUCCESS SUCCESS " + ALICE, "RECEIVED ACCEPTED null", "DELIVERED DELIVERED null",
                // refused at the MX (unknown recipient)
                "SMTP_REFUSED REFUSED null",
                // bounced: received, handed to the relay, refused by every route (not listed), bounced, a DSN sent
                // and that DSN received and delivered to Alice
                "AUTH_SUCCESS SUCCESS " + ALICE, "RECEIVED ACCEPTED null", "RELAYED RELAYED null", "REMOTE_FAILED BOUNCED null",
                "BOUNCED BOUNCED null", "DSN_SENT SENT null", "RECEIVED ACCEPTED null", "DELIVERED DELIVERED null",
                // filed: the lab (certificate) sends, the document is queued for the DMP on behalf of the lab, delivered
                "AUTH_SUCCESS SUCCESS " + labDn, "RECEIVED ACCEPTED null", "DMP_QUEUED QUEUED " + DemoData.LAB_STRUCTURE_ID,
                "DELIVERED DELIVERED null",
                // filing failed: delivered all the same, not filed, the lab's integration-error notice received and delivered
                "AUTH_SUCCESS SUCCESS " + labDn, "RECEIVED ACCEPTED null", "DMP_NOT_FILED FAILURE null", "DELIVERED DELIVERED null",
                "RECEIVED ACCEPTED null", "DELIVERED DELIVERED null",
                // failed login
                "AUTH_FAILURE FAILURE " + BRUNO,
                // the console's change (operateur1) and a WebAdmin user's
                "ADMIN_CHANGE SUCCESS console:operateur1", "ADMIN_CHANGE SUCCESS webadmin:admin@" + DemoData.DOMAIN));
        List<Map<String, String>> rows = rowsAfter(before);
        assertThat(rows).filteredOn(row -> row.get("event").equals("SMTP_REFUSED")).singleElement().satisfies(row -> {
            assertThat(row.get("reason")).startsWith("550").contains("personne@" + DemoData.DOMAIN);
            assertThat(row.get("peer")).isEqualTo("127.0.0.1");
            assertThat(row.get("detail")).contains("ValidRcptHandler", "peer certificate", "O=MSS DEVELOPMENT ONLY");
        });
        assertThat(rows).filteredOn(row -> row.get("event").equals("ADMIN_CHANGE")).extracting(row -> row.get("detail"))
            .containsExactly("PUT /domains/console-day.test", "DELETE /domains/console-day.test");
        assertThat(rows).filteredOn(row -> row.get("event").equals("AUTH_FAILURE")).singleElement()
            .satisfies(row -> assertThat(row.get("detail")).startsWith("IMAP"));
        // the SMTP session's peer certificate goes with each message it sent (the lab's two, by certificate)
        assertThat(rows).filteredOn(row -> row.get("event").equals("RECEIVED") && row.get("detail").startsWith("peer certificate "))
            .extracting(row -> row.get("detail")).containsExactly("peer certificate " + labDn, "peer certificate " + labDn);
        assertThat(rows).filteredOn(row -> row.get("event").equals("DMP_QUEUED")).singleElement()
            .satisfies(row -> assertThat(row.get("detail")).isEqualTo("document 1.2.250.1.999.14^DAY-FILED"));
    }

    @Test
    void noRowNorTheExportHoldsASubjectABodyOrAnAttachmentName() throws Exception {
        long before = lastId();
        String subject = "SUJET-" + UUID.randomUUID();
        String body = "CORPS-" + UUID.randomUUID();
        String attachmentName = "PJ-" + UUID.randomUUID() + ".pdf";
        // with an attachment, to a local mailbox
        MimeBodyPart text = TestDocuments.text(body);
        MimeBodyPart attachment = TestDocuments.attachment(TestDocuments.pdf(body), attachmentName, "application/pdf");
        MimeMessage message = TestDocuments.message(subject, text, attachment);
        message.setFrom(ALICE);
        message.setRecipients(Message.RecipientType.TO, BRUNO);
        new MailClient(server).submit(ALICE, message);
        // bounced (the DSN quotes the original's headers)
        bounced(subject, body);
        // the lab: filed, and not filed
        labSends(subject, cda("NO-CONTENT"), "IHE_XDM.ZIP");
        labSends(subject + "-2", body.getBytes(StandardCharsets.US_ASCII), "IHE_XDM.ZIP");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> events = rowsAfter(before).stream().map(row -> row.get("event")).toList();
            assertThat(events).contains("DELIVERED", "BOUNCED", "DSN_SENT", "DMP_QUEUED", "DMP_NOT_FILED");
            assertThat(events.stream().filter("DELIVERED"::equals)).as("Bruno, the DSN, the filed, the unfiled and its notice").hasSize(5);
        });
        List<Map<String, String>> rows = rowsAfter(before);
        for (Map<String, String> row : rows) {
            for (Map.Entry<String, String> column : row.entrySet()) {
                assertThat(column.getValue()).as("column %s of %s", column.getKey(), row)
                    .doesNotContain(subject, body, attachmentName, "Résultats");
            }
        }
        HttpResponse<String> csv = webAdmin("GET", "/mss/audit/events.csv?limit=10000", server.webAdminToken(), null);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).contains("DSN_SENT").doesNotContain(subject, body, attachmentName);
        HttpResponse<String> json = webAdmin("GET", "/mss/audit/events?limit=10000", server.webAdminToken(), null);
        assertThat(json.body()).contains("DMP_NOT_FILED").doesNotContain(subject, body, attachmentName);
    }

    @Test
    void onlyTheConsoleTokenMayNameAnActor() throws Exception {
        long before = lastId();
        assertThat(webAdmin("PUT", "/domains/actor-a.test", server.webAdminToken(), "operateur1").statusCode()).isEqualTo(204);
        assertThat(webAdmin("PUT", "/domains/actor-b.test", consoleToken(), "operateur2").statusCode()).isEqualTo(204);
        assertThat(webAdmin("PUT", "/domains/actor-c.test", "not-a-token", "operateur1").statusCode()).isEqualTo(401);
        assertThat(rowsAfter(before)).extracting(row -> row.get("actor") + " " + row.get("outcome") + " " + row.get("reason")
                + " " + row.get("detail"))
            .containsExactly("webadmin:admin@" + DemoData.DOMAIN + " SUCCESS HTTP 204 PUT /domains/actor-a.test",
                "console:operateur2 SUCCESS HTTP 204 PUT /domains/actor-b.test",
                "anonymous FAILURE HTTP 401 PUT /domains/actor-c.test");
    }

    @Test
    void theConsoleReadsTheTrailAndTheMetricsThroughWebAdmin() throws Exception {
        String subject = "Routes " + UUID.randomUUID();
        accepted(subject, "corps");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
            webAdmin("GET", "/mss/audit/events?type=DELIVERED&mailbox=" + BRUNO + "&limit=1", consoleToken(), "auditeur").body())
            .contains("\"type\":\"DELIVERED\"", "\"mailbox\":\"" + BRUNO + "\"", "\"actor\":null"));
        HttpResponse<String> events = webAdmin("GET", "/mss/audit/events?type=RECEIVED&type=DELIVERED&limit=2&from=2000-01-01T00:00:00Z",
            consoleToken(), "auditeur");
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(events.body()).startsWith("[{\"id\":").contains("\"at\":\"20", "\"messageId\":", "\"peer\":",
            "\"outcome\":", "\"reason\":", "\"detail\":");
        assertThat(webAdmin("GET", "/mss/audit/events?from=yesterday", consoleToken(), null).statusCode()).isEqualTo(400);
        assertThat(webAdmin("GET", "/mss/audit/events?limit=0", consoleToken(), null).statusCode()).isEqualTo(400);

        HttpResponse<String> csv = webAdmin("GET", "/mss/audit/events.csv?type=DELIVERED", consoleToken(), null);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        assertThat(csv.body()).startsWith("id,at,type,actor,mailbox,messageId,peer,outcome,reason,detail\r\n").contains(",DELIVERED,");

        assertThat(webAdmin("GET", "/mss/audit/types", consoleToken(), null).body()).contains("\"ADMIN_CHANGE\"", "\"SMTP_REFUSED\"");
        String hourly = webAdmin("GET", "/mss/audit/hourly?hours=3", consoleToken(), null).body();
        assertThat(hourly.split("\"hour\"")).hasSize(4);
        assertThat(hourly).containsPattern("\"accepted\":[1-9]").contains("\"refused\":", "\"delivered\":", "\"bounced\":");

        HttpResponse<String> metrics = webAdmin("GET", "/mss/metrics", consoleToken(), null);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(metrics.body())
            .containsPattern("mss_messages_total\\{outcome=\"accepted\"} [1-9]")
            .containsPattern("mss_messages_total\\{outcome=\"delivered\"} [1-9]")
            .containsPattern("mss_delivery_latency_seconds_count [1-9]")
            .contains("# TYPE mss_delivery_latency_seconds histogram", "mss_delivery_latency_seconds_bucket{le=\"+Inf\"}")
            .containsPattern("mss_tls_handshakes_total\\{listener=\"submission[^\"]*\",result=\"ok\"} [1-9]")
            .containsPattern("mss_queue_size\\{queue=\"[a-z]+\"} [0-9]+")
            .contains("mss_dmp_outbox{state=\"queued\"}", "mss_dmp_outbox{state=\"failed\"} ")
            .containsPattern("mss_certificate_expiry_seconds\\{name=\"server\"} [1-9][0-9]+")
            // and what James counts itself (its Dropwizard registry)
            .containsPattern("\njames_[A-Za-z0-9_]+ [0-9]");
        assertThat(webAdmin("GET", "/mss/metrics", "not-a-token", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aPatientAddressIsStoredHashedAndFoundByItsClearForm() throws Exception {
        String patient = "180077512345678@patient.mss.test";
        long before = lastId();
        webAdmin("DELETE", "/users/" + patient, server.webAdminToken(), null);
        List<Map<String, String>> rows = rowsAfter(before);
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("mailbox")).startsWith("ins-hmac:");
            assertThat(row.get("detail")).isEqualTo("DELETE /users/" + row.get("mailbox"));
            assertThat(row.values()).noneMatch(value -> value.contains("180077512345678"));
        });
        String found = webAdmin("GET", "/mss/audit/events?mailbox=" + patient, consoleToken(), null).body();
        assertThat(found).contains("\"type\":\"ADMIN_CHANGE\"", rows.get(0).get("mailbox")).doesNotContain("180077512345678");
    }

    @Test
    void directoryLdapBindsAreAudited() throws Exception {
        long before = lastId();
        try (com.unboundid.ldap.sdk.LDAPConnection ldaps = new com.unboundid.ldap.sdk.LDAPConnection(
            server.clientTls().getSocketFactory(), "127.0.0.1", server.runtime().ldapsPort().orElseThrow())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ldaps.bind("cn=logiciel,dc=mssante,dc=fr", "mauvais"))
                .isInstanceOf(com.unboundid.ldap.sdk.LDAPException.class);
        }
        assertThat(summary(rowsAfter(before))).containsExactly("AUTH_FAILURE FAILURE cn=logiciel,dc=mssante,dc=fr");
        assertThat(rowsAfter(before).get(0).get("detail")).isEqualTo("LDAP SIMPLE");
    }
}
