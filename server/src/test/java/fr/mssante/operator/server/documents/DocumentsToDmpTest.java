package fr.mssante.operator.server.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Store;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.devmode.DmpProcesses;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * The lab flow end to end (issue 7): the lab's APP mailbox (certificate login) sends a CR-BIO in an IHE_XDM.ZIP to a
 * professional, who gets it over IMAP unchanged, while the document is filed into the DMP stand-in (its own JVM,
 * mutual TLS, VIHF) by the connector (its own JVM) through the PostgreSQL outbox. With the stand-in down the document
 * waits and is filed once it is back, never twice; a document without INS is not filed and the lab is told (903);
 * an unknown patient is refused by the DMP and the lab is told (902).
 */
class DocumentsToDmpTest {
    static final String LAB = "laboratoire.resultats@" + DemoData.DOMAIN;
    static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    static final String UNKNOWN_PATIENT = "164109999999995";
    static TestServer server;
    static DmpProcesses dmp;
    static Path pki;

    @BeforeAll
    static void start() throws Exception {
        Path projectRoot = Path.of("..").toAbsolutePath().normalize();
        RequiredTools.requireThat(DmpProcesses.built(projectRoot), "the DMP stand-in and connector are not packaged (mvn package)");
        server = TestServer.start(Files.createTempDirectory("mss-dmp-"), Map.of());
        pki = server.workingDirectory().resolve("var/dev/pki");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        dmp = DmpProcesses.startIfBuilt(projectRoot, server.workingDirectory().resolve("var/dev"),
            server.workingDirectory().resolve("var/log"), server.runtime().databaseSettings(), port,
            Map.of("MSS_DMP_STANDIN_UNKNOWN_PATIENTS", UNKNOWN_PATIENT)).orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (dmp != null) {
            dmp.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static byte[] xdm(String documentExtension, String ins) {
        TestDocuments.Cda cda = TestDocuments.cda().withId("1.2.250.1.999.7", documentExtension);
        if (ins == null) {
            cda = cda.withIns(null, null);
        } else {
            cda = cda.withIns(ins, TestDocuments.TEST_OID);
        }
        return TestDocuments.xdmZip("SUBSET01", List.of(TestDocuments.XdmDocument.cda("DOC0001.XML", cda)), false);
    }

    /** The lab logs in with its certificate (SASL EXTERNAL) and sends the archive. */
    static void labSends(String subject, byte[] zip) throws Exception {
        MimeMessage message = TestDocuments.message(subject, TestDocuments.text("Résultats en pièce jointe"),
            TestDocuments.attachment(zip, "IHE_XDM.ZIP", "application/zip"));
        message.setFrom(LAB);
        message.setRecipients(Message.RecipientType.TO, ALICE);
        message.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        message.writeTo(raw);
        try (SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS),
            server.tlsWithClientCertificate(pki.resolve("laboratoire-chain.pem"), pki.resolve("laboratoire-key.pem")))) {
            smtp.reply();
            smtp.command("EHLO lab.test");
            assertThat(smtp.command("AUTH EXTERNAL =")).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + LAB + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            String body = raw.toString(java.nio.charset.StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n")
                .replace("\r\n.", "\r\n..");
            assertThat(smtp.command(body + "\r\n.")).startsWith("250");
        }
    }

    static String standIn(String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(server.tlsWithClientCertificate(pki.resolve("dmp-connector-chain.pem"),
            pki.resolve("dmp-connector-key.pem"))).build();
        return http.send(HttpRequest.newBuilder(URI.create(dmp.standInUrl() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String outbox() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort()
            + "/mss/dmp/outbox?limit=100")).header("Authorization", "Bearer " + server.webAdminToken()).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    static byte[] attachmentReceivedBy(String user, String subject) throws Exception {
        try (Store store = new MailClient(server).imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                for (Message message : inbox.getMessages()) {
                    if (subject.equals(message.getSubject())) {
                        Multipart parts = (Multipart) message.getContent();
                        for (int i = 0; i < parts.getCount(); i++) {
                            Part part = parts.getBodyPart(i);
                            if ("IHE_XDM.ZIP".equals(part.getFileName())) {
                                return part.getInputStream().readAllBytes();
                            }
                        }
                    }
                }
                return null;
            } finally {
                inbox.close(false);
            }
        }
    }

    static boolean labReceived(String subjectPart) throws Exception {
        try (Store store = new MailClient(server).imap(LAB)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                for (Message message : inbox.getMessages()) {
                    if (String.valueOf(message.getSubject()).contains(subjectPart)) {
                        return true;
                    }
                }
                return false;
            } finally {
                inbox.close(false);
            }
        }
    }

    @Test
    void aLabReportReachesTheProfessionalUnchangedAndIsFiledIntoTheDmp() throws Exception {
        byte[] zip = xdm("CR-BIO-1", TestDocuments.TEST_INS);
        labSends("CR-BIO patient 1", zip);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .untilAsserted(() -> assertThat(attachmentReceivedBy(ALICE, "CR-BIO patient 1")).isEqualTo(zip));
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
            .untilAsserted(() -> assertThat(standIn("/documents")).contains("1.2.250.1.999.7^CR-BIO-1")
                .contains(TestDocuments.TEST_INS).contains(TestDocuments.TEST_OID));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .untilAsserted(() -> assertThat(outbox()).contains("\"state\":\"ACCEPTED\""));
    }

    @Test
    void withTheDmpDownTheDocumentWaitsAndIsFiledOnceWhenItReturns() throws Exception {
        dmp.stopStandIn();
        try {
            labSends("CR-BIO patient 2", xdm("CR-BIO-2", TestDocuments.TEST_INS));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> outbox().matches("(?s).*\"documentUniqueId\":\"1.2.250.1.999.7\\^CR-BIO-2\"[^}]*\"state\":\"QUEUED\""
                    + "[^}]*\"attempts\":[1-9].*"));
        } finally {
            dmp.startStandIn();
        }
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
            .untilAsserted(() -> assertThat(standIn("/documents")).contains("1.2.250.1.999.7^CR-BIO-2"));
        String documents = standIn("/documents");
        assertThat(documents.split("1.2.250.1.999.7\\^CR-BIO-2\"", -1).length - 1).as("filed exactly once").isEqualTo(1);
    }

    @Test
    void aDocumentWithoutInsIsNotFiledAndTheLabIsTold() throws Exception {
        labSends("CR-BIO sans INS", xdm("CR-BIO-3", null));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> labReceived("[KO Intégration système !][903]"));
        assertThat(outbox()).doesNotContain("CR-BIO-3");
        // the volet's MDN: human text, disposition, the original message, and the IHE_XDM.ZIP again
        try (Store store = new MailClient(server).imap(LAB)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message notice = java.util.Arrays.stream(inbox.getMessages()).filter(m -> {
                try {
                    return String.valueOf(m.getSubject()).contains("[903]");
                } catch (javax.mail.MessagingException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
            javax.mail.Multipart report = (javax.mail.Multipart) notice.getContent();
            assertThat(notice.getContentType().toLowerCase(java.util.Locale.ROOT)).contains("multipart/report")
                .contains("disposition-notification");
            assertThat(report.getBodyPart(1).getContentType().toLowerCase(java.util.Locale.ROOT))
                .startsWith("message/disposition-notification");
            assertThat(report.getBodyPart(2).getContentType().toLowerCase(java.util.Locale.ROOT)).startsWith("message/rfc822");
            assertThat(((javax.mail.internet.MimeMessage) report.getBodyPart(2).getContent()).getSubject())
                .isEqualTo("CR-BIO sans INS");
            assertThat(report.getCount()).isGreaterThanOrEqualTo(4);
            assertThat(report.getBodyPart(3).getFileName()).isEqualToIgnoringCase("IHE_XDM.ZIP");
            inbox.close(false);
        }
    }

    @Test
    void anUnknownPatientIsRefusedByTheDmpAndTheLabIsTold() throws Exception {
        labSends("CR-BIO patient inconnu", xdm("CR-BIO-4", UNKNOWN_PATIENT));
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> labReceived("[KO Intégration système !][902]"));
        assertThat(outbox()).contains("\"state\":\"REJECTED\"");
    }
}
