package fr.mssante.operator.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.testing.ImapDialogue;

/**
 * What a client can put into a mailbox by IMAP APPEND: never our X-MSS-* header fields (server verdicts that clients
 * trust: they are removed, the rest of the message is stored byte for byte), never more than the one message-size
 * limit (advertised as APPENDLIMIT; an oversize APPEND is answered NO [TOOBIG] before the literal is read).
 */
class ImapAppendTest {
    private ImapStateFixture fixture;

    @BeforeEach
    void seed() throws Exception {
        fixture = ImapStateFixture.seeded();
    }

    @Test
    void appendedServerHeaderFieldsAreRemovedAndTheRestIsKept() throws Exception {
        String planted = "From: <" + ImapStateFixture.HOLDER + ">\r\n"
            + "X-MSS-SMIME-Status: good\r\n"
            + "Subject: planted verdicts\r\n"
            + "x-mss-directory-kind: PER\r\n"
            + "X-Mss-Smime-Signer: CN=Forged,\r\n"
            + "\tO=Nobody\r\n"
            + "X-Other: kept\r\n"
            + "\r\n"
            + "X-MSS-SMIME-Status: in the body is text, kept\r\n";
        try (ImapDialogue imap = fixture.holder()) {
            assertThat(imap.append(fixture.other, "", planted)).contains("OK");
            assertThat(imap.status("SELECT " + fixture.other)).contains("OK");
            String header = imap.command("FETCH 1 (BODY.PEEK[HEADER])");
            assertThat(header).doesNotContainIgnoringCase("X-MSS-").doesNotContain("O=Nobody")
                .contains("Subject: planted verdicts").contains("X-Other: kept");
            assertThat(imap.command("FETCH 1 (BODY.PEEK[TEXT])")).contains("X-MSS-SMIME-Status: in the body is text, kept");
            String expected = planted.replace("X-MSS-SMIME-Status: good\r\n", "").replace("x-mss-directory-kind: PER\r\n", "")
                .replace("X-Mss-Smime-Signer: CN=Forged,\r\n\tO=Nobody\r\n", "");
            assertThat(imap.command("FETCH 1 (RFC822.SIZE)")).contains("RFC822.SIZE " + expected.length() + ")");
        }
        assertThat(audited("IMAP_APPEND_HEADERS_REMOVED")).as("audit row").anySatisfy(event -> {
            assertThat(event.sender()).contains(ImapStateFixture.HOLDER);
            assertThat(event.detail().orElseThrow()).contains(fixture.other)
                .contains("X-MSS-SMIME-Status, x-mss-directory-kind, X-Mss-Smime-Signer").doesNotContain("good");
        });
    }

    /** The audit rows of this event about this test's mailboxes (written asynchronously). */
    private List<MessageEvent> audited(String event) {
        MessageEventLog log = new MessageEventLog(fixture.server.runtime().database().dataSource());
        return await().atMost(Duration.ofSeconds(10)).until(() -> log.latest(200).stream()
            .filter(row -> row.event().equals(event) && row.detail().orElse("").contains(fixture.folder)).toList(),
            rows -> !rows.isEmpty());
    }

    @Test
    void aMessageWithoutServerHeaderFieldsIsStoredAsIs() throws Exception {
        String message = ImapStateFixture.message("plain");
        try (ImapDialogue imap = fixture.holder()) {
            assertThat(imap.append(fixture.other, "", message)).contains("OK");
            assertThat(imap.status("EXAMINE " + fixture.other)).contains("OK");
            assertThat(imap.command("FETCH 1 (RFC822.SIZE)")).contains("RFC822.SIZE " + message.length() + ")");
        }
    }

    @Test
    void theMessageSizeLimitIsAdvertisedAndAnOversizeAppendIsRefusedUnread() throws Exception {
        long limit = 36L * 1024 * 1024;
        try (ImapDialogue imap = fixture.holder()) {
            assertThat(imap.command("CAPABILITY")).contains("APPENDLIMIT=" + limit).doesNotContain("LITERAL+");
            assertThat(imap.announceLiteral("APPEND " + fixture.other, limit + 1)).matches("t\\d+ NO \\[TOOBIG] .*");
            assertThat(imap.status("NOOP")).contains("OK");
        }
        assertThat(fixture.status(fixture.other).messages()).isZero();
        assertThat(audited("IMAP_APPEND_REFUSED")).anySatisfy(event ->
            assertThat(event.detail().orElseThrow()).contains("TOOBIG").contains(Long.toString(limit + 1)));
    }
}
