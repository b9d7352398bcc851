package fr.mssante.operator.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.ImapDialogue;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * One message-size limit for every way in: {@code MSS_MAX_MESSAGE_SIZE} (here 64K) is SMTP's SIZE on the MX and on
 * submission and IMAP's APPENDLIMIT; APPEND above it gets NO [TOOBIG] and nothing is stored.
 */
class MessageSizeLimitTest {
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static final int LIMIT = 64 * 1024;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("mss-size-"), Map.of("mss.message.maxSize", "64K"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void smtpMxAndSubmissionAnnounceTheLimitAndRefuseMore() throws Exception {
        for (String role : new String[] {ListeningPorts.SMTP_MX, ListeningPorts.SUBMISSION}) {
            try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(role))) {
                smtp.reply();
                assertThat(smtp.command("EHLO client.test")).as(role).contains("SIZE " + LIMIT);
            }
        }
        try (SmtpDialogue smtp = SmtpDialogue.connectTls(server.port(ListeningPorts.SUBMISSIONS), server.clientTls())) {
            smtp.reply();
            assertThat(smtp.command("EHLO client.test")).contains("SIZE " + LIMIT);
            assertThat(smtp.authPlain(ALICE, server.password(ALICE))).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + "> SIZE=" + (LIMIT + 1))).startsWith("552");
        }
    }

    @Test
    void imapAdvertisesTheSameLimitAndRefusesALargerAppendBeforeReadingIt() throws Exception {
        try (ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS), server.clientTls())) {
            assertThat(imap.command("CAPABILITY")).contains("APPENDLIMIT=" + LIMIT);
            assertThat(imap.status("LOGIN " + ALICE + " \"" + server.password(ALICE) + "\"")).contains("OK");
            assertThat(imap.status("STATUS INBOX (APPENDLIMIT)")).contains("OK");
            String before = messages(imap.command("STATUS INBOX (MESSAGES)"));
            assertThat(imap.announceLiteral("APPEND INBOX", LIMIT + 1)).matches("t\\d+ NO \\[TOOBIG] .*");
            String large = "Subject: large\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(LIMIT / 72 + 10);
            assertThat(imap.append("INBOX", "", large)).contains("NO").contains("TOOBIG");
            assertThat(messages(imap.command("STATUS INBOX (MESSAGES)"))).isEqualTo(before);
            String fits = "Subject: fits\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(LIMIT / 72 - 10);
            assertThat(imap.append("INBOX", "", fits)).contains("OK");
        }
    }

    private static String messages(String status) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("MESSAGES \\d+").matcher(status);
        assertThat(matcher.find()).as(status).isTrue();
        return matcher.group();
    }
}
