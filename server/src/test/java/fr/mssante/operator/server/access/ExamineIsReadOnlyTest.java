package fr.mssante.operator.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.access.ImapStateFixture.Status;
import fr.mssante.operator.server.testing.ImapDialogue;

/**
 * The holder's own EXAMINE is read-only (RFC 3501 §6.3.2: "No changes to the permanent state of the mailbox,
 * including per-user state, are permitted"; §6.4.2 CLOSE). James 3.8.1 answered [READ-ONLY] but let STORE, EXPUNGE,
 * CLOSE, MOVE and FETCH BODY[] change the mailbox. One test per state-changing command of the selected state (RFC
 * 3501, RFC 6851 MOVE, RFC 8508 REPLACE), each checked on the stored state from another session.
 */
class ExamineIsReadOnlyTest {
    private ImapStateFixture fixture;

    @BeforeEach
    void seed() throws Exception {
        fixture = ImapStateFixture.seeded();
    }

    private ImapDialogue examined() throws Exception {
        ImapDialogue imap = fixture.holder();
        assertThat(imap.status("EXAMINE " + fixture.folder)).contains("OK [READ-ONLY]");
        return imap;
    }

    @Test
    void examineAnswersReadOnlyAndKeepsRecent() throws Exception {
        try (ImapDialogue imap = examined()) {
            assertThat(imap.command("NOOP")).contains("OK");
        }
        assertThat(fixture.status().recent()).isEqualTo(2);
        // control: SELECT does clear \Recent
        try (ImapDialogue imap = fixture.holder()) {
            assertThat(imap.status("SELECT " + fixture.folder)).contains("OK [READ-WRITE]");
        }
        assertThat(fixture.status().recent()).isZero();
    }

    @Test
    void storeAndUidStoreAreRefused() throws Exception {
        try (ImapDialogue imap = examined()) {
            assertThat(imap.status("STORE 2 +FLAGS (\\Seen \\Deleted)")).contains("NO").contains("read-only");
            assertThat(imap.status("UID STORE 1:* -FLAGS (\\Deleted)")).contains("NO").contains("read-only");
            assertThat(imap.status("STORE 1:* FLAGS.SILENT ()")).contains("NO");
        }
        assertThat(fixture.status()).isEqualTo(new Status(2, 2, 2));
        assertThat(fixture.flags()).contains("\\Deleted");
    }

    @Test
    void expungeAndUidExpungeAreRefused() throws Exception {
        try (ImapDialogue imap = examined()) {
            assertThat(imap.status("EXPUNGE")).contains("NO").contains("read-only");
            assertThat(imap.status("UID EXPUNGE 1:*")).contains("NO").contains("read-only");
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
    }

    @Test
    void closeDeselectsWithoutExpunging() throws Exception {
        try (ImapDialogue imap = examined()) {
            assertThat(imap.status("CLOSE")).contains("OK");
            // no longer selected
            assertThat(imap.status("FETCH 1 (FLAGS)")).doesNotContain(" OK ");
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
    }

    @Test
    void fetchingABodyDoesNotSetSeen() throws Exception {
        try (ImapDialogue imap = examined()) {
            assertThat(imap.command("FETCH 2 (BODY[])")).contains("Body of unseen").doesNotContain("\\Seen");
            assertThat(imap.command("FETCH 2 (RFC822)")).contains("Body of unseen").doesNotContain("\\Seen");
            assertThat(imap.command("UID FETCH 1:* (BODY[TEXT] RFC822.TEXT FLAGS)")).doesNotContain("\\Seen");
        }
        assertThat(fixture.status().unseen()).isEqualTo(2);
    }

    @Test
    void moveOutAndCopyIntoAreRefusedCopyOutIsAllowed() throws Exception {
        try (ImapDialogue imap = examined()) {
            assertThat(imap.status("MOVE 1 " + fixture.other)).contains("NO").contains("read-only");
            assertThat(imap.status("UID MOVE 1:* " + fixture.other)).contains("NO");
            assertThat(imap.status("COPY 1 " + fixture.folder)).contains("NO").contains("read-only");
            assertThat(imap.status("COPY 2 " + fixture.other)).contains("OK");
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
        assertThat(fixture.status(fixture.other).messages()).isEqualTo(1);
    }

    @Test
    void appendIntoTheExaminedMailboxIsRefusedElsewhereAllowed() throws Exception {
        try (ImapDialogue imap = examined()) {
            assertThat(imap.append(fixture.folder, "", ImapStateFixture.message("planted"))).contains("NO").contains("read-only");
            assertThat(imap.append(fixture.other, "", ImapStateFixture.message("elsewhere"))).contains("OK");
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
        assertThat(fixture.status(fixture.other).messages()).isEqualTo(1);
    }

    @Test
    void deletingOrRenamingTheExaminedMailboxIsRefused() throws Exception {
        try (ImapDialogue imap = examined()) {
            assertThat(imap.status("DELETE " + fixture.folder)).contains("NO").contains("read-only");
            assertThat(imap.status("RENAME " + fixture.folder + " " + fixture.folder + "-renamed")).contains("NO");
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
    }

    @Test
    void replaceIsNotAccepted() throws Exception {
        try (ImapDialogue imap = examined()) {
            String reply = imap.commandWithLiteral("REPLACE 1 " + fixture.folder,
                ImapStateFixture.message("replacement").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(reply.lines().reduce((first, last) -> last).orElseThrow()).doesNotContain(" OK ");
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
    }

    @Test
    void aLaterSelectMakesTheSameMailboxWritableAgain() throws Exception {
        try (ImapDialogue imap = examined()) {
            assertThat(imap.status("STORE 2 +FLAGS (\\Seen)")).contains("NO");
            assertThat(imap.status("SELECT " + fixture.folder)).contains("OK [READ-WRITE]");
            assertThat(imap.status("STORE 2 +FLAGS (\\Seen)")).contains("OK");
            assertThat(imap.status("CLOSE")).contains("OK");
        }
        assertThat(fixture.status()).isEqualTo(new Status(1, 0, 0));
    }
}
