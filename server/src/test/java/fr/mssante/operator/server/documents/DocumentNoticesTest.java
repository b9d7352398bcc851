package fr.mssante.operator.server.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

import fr.mssante.operator.documents.testing.HostileXml;
import fr.mssante.operator.documents.testing.HostileZips;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;
import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * The integration error notices the lab gets in the running stack (issue 12 #11 and #14), without the DMP processes:
 * documents are only taken into the outbox here. The lab's APP mailbox files every CDA (its development policy).
 * Every code comes from the documents library's one mapping.
 */
class DocumentNoticesTest {
    static final String LAB = "laboratoire.resultats@" + DemoData.DOMAIN;
    static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    static final String PRODUCTION_INS_OID = "1.2.250.1.213.1.4.8";
    static TestServer server;
    static Path pki;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("mss-notices-"), Map.of());
        pki = server.workingDirectory().resolve("var/dev/pki");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static byte[] xdm(TestDocuments.Cda cda) {
        return TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", cda)), false);
    }

    static byte[] xdm(TestDocuments.Cda cda, byte[] content) {
        return TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", cda, content)), false);
    }

    static void labSends(String subject, byte[] zip) throws Exception {
        javax.mail.internet.MimeBodyPart attachment = TestDocuments.attachment(zip, "IHE_XDM.ZIP", "application/zip");
        // as senders do for archives (JavaMail would pick quoted-printable for a mostly-zero bomb, which is lossy for binary)
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        MimeMessage message = TestDocuments.message(subject, TestDocuments.text("Résultats en pièce jointe"), attachment);
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
            String body = raw.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n").replace("\r\n.", "\r\n..");
            assertThat(smtp.command(body + "\r\n.")).startsWith("250");
        }
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
                                // not readAllBytes(): javax.mail's base64 decoder answers -1 to a zero-length read
                                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                                part.getInputStream().transferTo(bytes);
                                return bytes.toByteArray();
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

    /** The subjects of the notices the lab received about {@code originalSubject}. */
    static List<String> noticesAbout(String originalSubject) throws Exception {
        List<String> subjects = new ArrayList<>();
        try (Store store = new MailClient(server).imap(LAB)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                for (Message message : inbox.getMessages()) {
                    String subject = String.valueOf(message.getSubject());
                    if (subject.startsWith("[KO Intégration système !]") && subject.endsWith("] " + originalSubject)) {
                        subjects.add(subject);
                    }
                }
            } finally {
                inbox.close(false);
            }
        }
        return subjects;
    }

    static List<MessageEvent> notFiled() throws Exception {
        return new MessageEventLog(server.runtime().database().dataSource()).latest(500).stream()
            .filter(e -> e.event().equals("DMP_NOT_FILED")).toList();
    }

    static List<String> outboxIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = server.runtime().database().dataSource().getConnection();
             PreparedStatement query = c.prepareStatement("SELECT document_unique_id FROM dmp.submission ORDER BY id");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** Issue 12 #14: each hostile package is delivered, the lab is told (906, unreadable package) and it is audited. */
    @Test
    void aHostilePackageIsDeliveredWhileTheLabIsToldAndItIsAudited() throws Exception {
        byte[] fine = xdm(TestDocuments.cda().withId("1.2.250.1.999.8", "HOSTILE"));
        String deep = TestDocuments.cda().xml().replace("<title>Compte rendu de test</title>",
            "<title>" + "<a>".repeat(100_000) + "</a>".repeat(100_000) + "</title>");
        Map<String, byte[]> hostile = new java.util.LinkedHashMap<>();
        hostile.put("ZIP_BOMB", HostileZips.bomb("IHE_XDM/SUBSET01/DOC0001.XML", 64L << 20));
        hostile.put("ZIP_PATH_TRAVERSAL", HostileZips.named("IHE_XDM/SUBSET01/../../../../tmp/evil"));
        hostile.put("CDA_DOCTYPE_FORBIDDEN", xdm(TestDocuments.cda().withProlog(HostileXml.xxe("ClinicalDocument"))));
        hostile.put("CDA_TOO_DEEP", xdm(TestDocuments.cda(), deep.getBytes(StandardCharsets.UTF_8)));
        hostile.put("ZIP_TOO_MANY_ENTRIES", HostileZips.manyEntries(10_000));
        hostile.put("ZIP_TRUNCATED", Arrays.copyOf(fine, fine.length - 30));
        for (Map.Entry<String, byte[]> entry : hostile.entrySet()) {
            labSends("Paquet hostile " + entry.getKey(), entry.getValue());
        }
        for (Map.Entry<String, byte[]> entry : hostile.entrySet()) {
            String subject = "Paquet hostile " + entry.getKey();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .untilAsserted(() -> assertThat(attachmentReceivedBy(ALICE, subject)).as(subject).isEqualTo(entry.getValue()));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .untilAsserted(() -> assertThat(noticesAbout(subject)).as(subject)
                    .containsExactly("[KO Intégration système !][906] " + subject));
            assertThat(notFiled()).as(subject).anySatisfy(event -> {
                assertThat(event.sender()).contains(LAB);
                assertThat(event.recipients()).containsExactly(ALICE);
                assertThat(event.detail()).contains("906 package " + entry.getKey());
            });
        }
        assertThat(outboxIds()).noneMatch(id -> id.contains("HOSTILE"));
    }

    /** Issue 12 #11: an INS of another environment is 906 (the library's code), not 904 (the pipeline's old mapping). */
    @Test
    void anInsOfAnotherEnvironmentIsToldAs906() throws Exception {
        String subject = "CR-BIO INS de production";
        labSends(subject, xdm(TestDocuments.cda().withId("1.2.250.1.999.8", "PROD-OID").withIns(TestDocuments.TEST_INS, PRODUCTION_INS_OID)));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .untilAsserted(() -> assertThat(noticesAbout(subject)).containsExactly("[KO Intégration système !][906] " + subject));
        assertThat(outboxIds()).noneMatch(id -> id.contains("PROD-OID"));
        assertThat(notFiled()).anySatisfy(event -> assertThat(event.detail().orElseThrow())
            .startsWith("906 document 1.2.250.1.999.8^PROD-OID INS_WRONG_ENVIRONMENT"));
    }

    /** Issue 12 #11: the volet's replacement errors, in the pipeline (901 before 900, judged on what we took). */
    @Test
    void replacementsAreJudgedAgainstTheVersionsTaken() throws Exception {
        String root = "1.2.250.1.999.9";
        TestDocuments.Cda v1 = TestDocuments.cda().withId(root, "V1");
        labSends("CR-BIO version 1", xdm(v1));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> outboxIds().contains(root + "^V1"));

        TestDocuments.Cda v2 = TestDocuments.cda().withId(root, "V2");
        labSends("CR-BIO version 2 par un autre", xdm(v2, TestDocuments.replacing(v2, root, "V1", true)));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(noticesAbout("CR-BIO version 2 par un autre"))
            .containsExactly("[KO Intégration système !][901] CR-BIO version 2 par un autre"));

        labSends("CR-BIO version 2", xdm(v2, TestDocuments.replacing(v2, root, "V1", false)));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> outboxIds().contains(root + "^V2"));

        TestDocuments.Cda v3 = TestDocuments.cda().withId(root, "V3");
        labSends("CR-BIO version 3 sur la 1", xdm(v3, TestDocuments.replacing(v3, root, "V1", false)));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(noticesAbout("CR-BIO version 3 sur la 1"))
            .containsExactly("[KO Intégration système !][900] CR-BIO version 3 sur la 1"));
        assertThat(outboxIds()).containsOnlyOnce(root + "^V1", root + "^V2").doesNotContain(root + "^V3");
        assertThat(notFiled()).anySatisfy(event -> assertThat(event.detail().orElseThrow()).contains("900 document " + root + "^V3"));
        assertThat(notFiled()).extracting(e -> e.detail().orElseThrow().toLowerCase(Locale.ROOT))
            .noneMatch(detail -> detail.contains(TestDocuments.TEST_INS));
    }
}
