package fr.mssante.operator.server.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import javax.mail.internet.MimeMessage;
import javax.mail.search.BodyTerm;
import javax.mail.search.SubjectTerm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.sun.mail.smtp.SMTPSendFailedException;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * The foundation end to end, in-process on random ports against the embedded PostgreSQL: submission (STARTTLS +
 * AUTH) → queue → pipeline → mailbox → IMAP (STARTTLS), and the refusals around it.
 */
class MailFlowTest {
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;

    private static TestServer server;
    private static MailClient client;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestServer.shared();
        client = new MailClient(server);
    }

    @Test
    void submittedMessageIsReadableOverImapAndFoundBySearch() throws Exception {
        String subject = "Compte rendu " + UUID.randomUUID();
        client.submit(ALICE, client.newMessage(ALICE, BRUNO, subject, "Résultats normaux, hémoglobine 14 g/dL"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Store store = client.imap(BRUNO)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] found = inbox.search(new SubjectTerm(subject));
                assertThat(found).hasSize(1);
                assertThat(found[0].getFrom()[0].toString()).isEqualTo(ALICE);
                assertThat(((String) found[0].getContent()).trim()).isEqualTo("Résultats normaux, hémoglobine 14 g/dL");
                assertThat(inbox.search(new BodyTerm("hémoglobine"))).extracting(m -> m.getSubject()).contains(subject);
                inbox.close(false);
            }
        });
    }

    @Test
    void senderForgedServerHeadersNeverReachTheMailbox() throws Exception {
        String subject = "Forged " + UUID.randomUUID();
        MimeMessage message = client.newMessage(ALICE, BRUNO, subject, "body");
        message.setHeader("X-MSS-SMIME-Status", "good");
        message.setHeader("x-mss-trust", "forged");
        client.submit(ALICE, message);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Store store = client.imap(BRUNO)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] found = inbox.search(new SubjectTerm(subject));
                assertThat(found).hasSize(1);
                assertThat(found[0].getHeader("X-MSS-SMIME-Status")).isNull();
                assertThat(found[0].getHeader("X-MSS-Trust")).isNull();
                inbox.close(false);
            }
        });
    }

    @Test
    void everyDeliveryIsAuditedWithoutContent() throws Exception {
        String subject = "Audit " + UUID.randomUUID();
        client.submit(ALICE, client.newMessage(ALICE, BRUNO, subject, "secret health content"));
        MessageEventLog log = new MessageEventLog(server.runtime().database().dataSource());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<MessageEvent> events = log.latest(50);
            assertThat(events).filteredOn(e -> e.event().equals("DELIVERED") && e.recipients().equals(List.of(BRUNO)))
                .isNotEmpty();
            assertThat(events).filteredOn(e -> e.event().equals("RECEIVED")).isNotEmpty();
            assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContain(subject, "secret health content"));
        });
    }

    @Test
    void submissionAnnouncesAuthOnlyAfterStartTlsAndRefusesAnonymousMail() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SUBMISSION))) {
            assertThat(smtp.reply()).startsWith("220");
            assertThat(smtp.command("EHLO client.test")).contains("STARTTLS").doesNotContain("AUTH");
            assertThat(smtp.startTls(server.clientTls())).startsWith("220");
            assertThat(smtp.command("EHLO client.test")).contains("AUTH");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">")).startsWith("530 5.7.0");
            assertThat(smtp.command("MAIL FROM:<someone@elsewhere.test>")).startsWith("530 5.7.0");
        }
    }

    @Test
    void submissionRefusesAWrongPassword() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SUBMISSION))) {
            smtp.reply();
            smtp.command("EHLO client.test");
            smtp.startTls(server.clientTls());
            smtp.command("EHLO client.test");
            assertThat(smtp.authPlain(ALICE, "not-the-password")).startsWith("535");
        }
    }

    @Test
    void implicitTlsSubmissionAcceptsAuthenticatedMail() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS), server.clientTls())) {
            assertThat(smtp.reply()).startsWith("220");
            assertThat(smtp.command("EHLO client.test")).contains("AUTH");
            assertThat(smtp.authPlain(ALICE, server.password(ALICE))).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BRUNO + ">")).startsWith("250");
        }
    }

    @Test
    void authenticatedSubmissionOverTlsIsTracedAsEsmtpsa() throws Exception {
        // STARTTLS on the submission port
        String starttls = "Received STARTTLS " + UUID.randomUUID();
        client.submit(ALICE, client.newMessage(ALICE, BRUNO, starttls, "x"));
        // implicit TLS
        String implicit = "Received implicit TLS " + UUID.randomUUID();
        try (SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS), server.clientTls())) {
            smtp.reply();
            smtp.command("EHLO client.test");
            assertThat(smtp.authPlain(ALICE, server.password(ALICE))).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BRUNO + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            assertThat(smtp.command("From: " + ALICE + "\r\nTo: " + BRUNO + "\r\nSubject: " + implicit + "\r\n\r\nx\r\n."))
                .startsWith("250");
        }
        for (String subject : List.of(starttls, implicit)) {
            assertThat(receivedHeaders(BRUNO, subject)).as(subject).hasSize(1)
                .allSatisfy(received -> assertThat(received).contains(" with ESMTPSA ").doesNotContain("ESMTPA"));
        }
    }

    /** The Received: headers of the message {@code subject} in {@code user}'s INBOX, once it is there. */
    static List<String> receivedHeaders(String user, String subject) {
        List<String> received = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (Store store = client.imap(user)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] found = inbox.search(new SubjectTerm(subject));
                assertThat(found).hasSize(1);
                received.clear();
                received.addAll(Arrays.asList(found[0].getHeader("Received")));
                inbox.close(false);
            }
        });
        return received;
    }

    @Test
    void authenticatedUserCannotSendAsAnotherMailbox() {
        assertThatThrownBy(() -> client.submit(ALICE, client.newMessage(BRUNO, ALICE, "spoof", "x")))
            .satisfies(e -> assertThat(rootSmtpCode(e)).isEqualTo(550));
    }

    @Test
    void imapRefusesLoginBeforeStartTls() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port(ListeningPorts.IMAP))) {
            socket.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("* OK");
            socket.getOutputStream().write("a1 CAPABILITY\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).contains("STARTTLS").contains("LOGINDISABLED");
        }
    }

    @Test
    void mxRefusesUnknownLocalRecipientAndRelaying() throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx.demo.mss.test");
            smtp.startTls(server.operatorTls());
            assertThat(smtp.command("EHLO mx.demo.mss.test")).doesNotContain("AUTH");
            // our own domain never arrives from outside (issue 12 #4); the null reverse-path reaches RCPT
            assertThat(smtp.command("MAIL FROM:<dr.x@" + DemoData.DOMAIN + ">")).startsWith("550 5.7.1");
            assertThat(smtp.command("MAIL FROM:<>")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<nobody@" + DemoData.DOMAIN + ">")).startsWith("550");
            assertThat(smtp.command("RCPT TO:<someone@elsewhere.test>")).startsWith("550");
        }
    }

    @Test
    void messageOverTheAnnouncedSizeGets552AndNothingIsStored() throws Exception {
        int before = client.inboxCount(BRUNO);
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SMTP_MX))) {
            smtp.reply();
            smtp.command("EHLO mx.demo.mss.test");
            smtp.startTls(server.operatorTls());
            String ehlo = smtp.command("EHLO mx.demo.mss.test");
            long announced = Long.parseLong(ehlo.lines().filter(l -> l.startsWith("250-SIZE") || l.startsWith("250 SIZE"))
                .findFirst().orElseThrow().substring(9).trim());
            assertThat(smtp.command("MAIL FROM:<> SIZE=" + (announced + 1))).startsWith("552");

            assertThat(smtp.command("MAIL FROM:<>")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BRUNO + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.raw(("From: big@" + DemoData.DOMAIN + "\r\nTo: " + BRUNO + "\r\nSubject: too big\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] line = new byte[998];
            Arrays.fill(line, (byte) 'A');
            byte[] crlf = {'\r', '\n'};
            for (long written = 0; written <= announced; written += line.length + 2) {
                smtp.raw(line);
                smtp.raw(crlf);
            }
            assertThat(smtp.command(".")).startsWith("552");
        }
        assertThat(client.inboxCount(BRUNO)).isEqualTo(before);
        assertThat(new MessageEventLog(server.runtime().database().dataSource()).latest(200))
            .noneMatch(e -> e.sizeBytes() > 30L * 1024 * 1024);
    }

    @Test
    void webAdminRequiresTheJwt() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI domains = URI.create("http://127.0.0.1:" + server.webAdminPort() + "/domains");
        assertThat(http.send(HttpRequest.newBuilder(domains).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(401);
        HttpResponse<String> authorised = http.send(HttpRequest.newBuilder(domains)
            .header("Authorization", "Bearer " + server.webAdminToken()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(authorised.statusCode()).isEqualTo(200);
        assertThat(authorised.body()).contains(DemoData.DOMAIN);
    }

    private static int rootSmtpCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SMTPSendFailedException failed) {
                return failed.getReturnCode();
            }
            if (t instanceof javax.mail.MessagingException messaging && messaging.getNextException() != null
                && messaging.getNextException() instanceof SMTPSendFailedException next) {
                return next.getReturnCode();
            }
        }
        return -1;
    }
}
