package fr.mssante.operator.server.lineendings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import javax.mail.Folder;
import javax.mail.Store;
import javax.mail.search.SubjectTerm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Every line we store or relay ends with CRLF: a message with a bare CR is refused at the end of DATA
 * ({@code 554 5.6.0}, as Postfix's {@code smtpd_forbid_bare_newline = reject}); a bare LF still ends the session
 * (James 3.8.1's CVE-2023-51747 fix, kept). Neither reaches the mailbox; a CRLF message does.
 */
class BareLineEndingsTest {
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
    void aBareCarriageReturnIsRefusedWithAPermanentMediaErrorAndNotStored() throws Exception {
        String subject = "bare-cr-" + UUID.randomUUID();
        String reply = send(subject, "Kaliemie 4,2 mmol/L\rCreatinine 80 umol/L\r\n");

        assertThat(reply).startsWith("554 5.6.0").contains("bare CR");
        assertThat(subjectCount(BRUNO, subject)).isZero();
        assertThat(new MessageEventLog(server.runtime().database().dataSource()).latest(50))
            .anySatisfy(event -> assertThat(event.event()).isEqualTo("BARE_LINE_ENDING_REFUSED"));
    }

    @Test
    void aBareLineFeedIsStillRefused() throws Exception {
        String subject = "bare-lf-" + UUID.randomUUID();
        String reply = send(subject, "Kaliemie 4,2 mmol/L\nCreatinine 80 umol/L\r\n");

        assertThat(reply).startsWith("5");
        assertThat(subjectCount(BRUNO, subject)).isZero();
    }

    @Test
    void crlfMailIsAcceptedAndStoredWithCrlf() throws Exception {
        String subject = "crlf-" + UUID.randomUUID();
        assertThat(send(subject, "Kaliemie 4,2 mmol/L\r\nCreatinine 80 umol/L\r\n")).startsWith("250");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> subjectCount(BRUNO, subject) == 1);
    }

    /** DATA with the given body; returns the reply to the end of data (or what the server said instead). */
    private static String send(String subject, String body) throws Exception {
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SUBMISSION))) {
            smtp.reply();
            smtp.command("EHLO client.test");
            smtp.startTls(server.clientTls());
            smtp.command("EHLO client.test");
            assertThat(smtp.authPlain(ALICE, server.password(ALICE))).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BRUNO + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.raw(("From: " + ALICE + "\r\nTo: " + BRUNO + "\r\nSubject: " + subject + "\r\n\r\n" + body + ".\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            return smtp.reply();
        }
    }

    private static int subjectCount(String user, String subject) throws Exception {
        try (Store store = client.imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                return List.of(inbox.search(new SubjectTerm(subject))).size();
            } finally {
                inbox.close(false);
            }
        }
    }
}
