package fr.mssante.operator.server.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.filing.DmpFilingPolicy;
import fr.mssante.operator.documents.filing.FilingRule;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.devmode.DevelopmentOidcIssuer;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Issue 12 #2 in the DMP filing path: a document is filed on behalf of whoever the submission proved, never of the
 * sender mailbox's holder. The practice's (CAB) password is shared by everyone who works there: a document sent with it
 * is delivered but filed on no one's behalf (906 to the practice, audited); the doctor's own access token files as the
 * doctor, a co-holder's as the co-holder. The practice mailbox files every CDA here; no DMP processes (the outbox only).
 */
class FilingAttributionInStackTest {
    static final String CABINET = "secretariat.cabinet-sante@" + DemoData.DOMAIN;
    static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    static final String ROOT = "1.2.250.1.999.12";
    static TestServer server;
    static DevelopmentOidcIssuer issuer;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("mss-attribution-"), Map.of());
        issuer = server.runtime().oidcIssuer().orElseThrow();
        new DmpFilingPolicy(server.runtime().database().dataSource()).set("MAILBOX", CABINET, FilingRule.ALL_CDA);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDocumentSentWithThePracticePasswordIsDeliveredButNotFiledAsTheDoctorAndThePracticeIsTold() throws Exception {
        String subject = "CR cabinet par mot de passe";
        try (SmtpDialogue smtp = submission()) {
            assertThat(smtp.authPlain(CABINET, server.password(CABINET))).startsWith("235");
            send(smtp, subject, "CAB-PASSWORD");
        }

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> received(BRUNO, subject));
        // (before the fix: filed on behalf of the practice's holder, Dr Martin, with no notice)
        assertThat(filed()).as("nothing filed from the practice password, least of all as its holder")
            .doesNotContainKey(ROOT + "^CAB-PASSWORD");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> received(CABINET, "[KO Intégration système !][906] " + subject));
        assertThat(notFiled()).anySatisfy(event -> {
            assertThat(event.sender()).contains(CABINET);
            assertThat(event.detail().orElseThrow()).isEqualTo("906 document " + ROOT + "^CAB-PASSWORD AUTHOR_SHARED_MAILBOX_PASSWORD");
        });
    }

    @Test
    void theDoctorsTokenFromThePracticeMailboxFilesAsTheDoctorAndACoHoldersAsTheCoHolder() throws Exception {
        try (SmtpDialogue smtp = submission()) {
            assertThat(smtp.command("AUTH XOAUTH2 " + xoauth2(CABINET, issuer.accessToken(DemoData.ALICE_ID)))).startsWith("235");
            send(smtp, "CR cabinet par le Dr Martin", "CAB-ALICE");
        }
        try (SmtpDialogue smtp = submission()) {
            assertThat(smtp.command("AUTH XOAUTH2 " + xoauth2(BRUNO, issuer.accessToken(DemoData.BRUNO_ID)))).startsWith("235");
            send(smtp, "CR cabinet par le Dr Durand", "CAB-BRUNO");
        }

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .untilAsserted(() -> assertThat(filed()).containsEntry(ROOT + "^CAB-ALICE", DemoData.ALICE_ID)
                .containsEntry(ROOT + "^CAB-BRUNO", DemoData.BRUNO_ID));
    }

    static SmtpDialogue submission() throws Exception {
        SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS), server.clientTls());
        smtp.reply();
        smtp.command("EHLO client.test");
        return smtp;
    }

    /** Sends, from the practice mailbox, a message carrying one CDA ({@code ROOT^extension}) in an IHE_XDM.ZIP. */
    static void send(SmtpDialogue smtp, String subject, String extension) throws Exception {
        byte[] zip = TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", TestDocuments.cda().withId(ROOT, extension))), false);
        MimeMessage message = TestDocuments.message(subject, TestDocuments.text("Compte rendu en pièce jointe"),
            TestDocuments.attachment(zip, "IHE_XDM.ZIP", "application/zip"));
        message.setFrom(CABINET);
        message.setRecipients(Message.RecipientType.TO, BRUNO);
        message.saveChanges();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        message.writeTo(raw);
        assertThat(smtp.command("MAIL FROM:<" + CABINET + ">")).startsWith("250");
        assertThat(smtp.command("RCPT TO:<" + BRUNO + ">")).startsWith("250");
        assertThat(smtp.command("DATA")).startsWith("354");
        String body = raw.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").replace("\n", "\r\n").replace("\r\n.", "\r\n..");
        assertThat(smtp.command(body + "\r\n.")).startsWith("250");
    }

    static String xoauth2(String user, String token) {
        return Base64.getEncoder().encodeToString(("user=" + user + "\u0001auth=Bearer " + token + "\u0001\u0001")
            .getBytes(StandardCharsets.UTF_8));
    }

    static boolean received(String user, String subject) throws Exception {
        try (Store store = new MailClient(server).imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                for (Message message : inbox.getMessages()) {
                    if (subject.equals(message.getSubject())) {
                        return true;
                    }
                }
                return false;
            } finally {
                inbox.close(false);
            }
        }
    }

    /** The outbox: document id to the national id it is filed on behalf of. */
    static Map<String, String> filed() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection c = server.runtime().database().dataSource().getConnection();
             PreparedStatement query = c.prepareStatement("SELECT document_unique_id, sender_national_id FROM dmp.submission ORDER BY id");
             ResultSet result = query.executeQuery()) {
            while (result.next()) {
                rows.put(result.getString(1), result.getString(2));
            }
        }
        return rows;
    }

    static List<MessageEvent> notFiled() throws Exception {
        return new ArrayList<>(new MessageEventLog(server.runtime().database().dataSource()).latest(500).stream()
            .filter(e -> e.event().equals("DMP_NOT_FILED")).toList());
    }
}
