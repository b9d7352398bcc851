package fr.mssante.operator.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.access.ImapStateFixture.Status;
import fr.mssante.operator.server.testing.ImapDialogue;

/**
 * A read-only delegate (DELEGATE_READ; Claire on Bruno's mailbox) reads and changes nothing: SELECT is served as
 * EXAMINE ([READ-ONLY]: CLOSE expunges nothing, FETCH BODY[] sets no \Seen, \Recent stays), and every command that
 * changes a mailbox, the holder's tree or the holder's per-user state is refused (RFC 3501, RFC 4314 ACL, RFC 6851
 * MOVE, RFC 8508 REPLACE, RFC 5464 SETMETADATA, RFC 9208 SETQUOTA, SUBSCRIBE/UNSUBSCRIBE), each checked on the stored
 * state from the holder's own session.
 */
class ReadOnlyDelegateTest {
    private static final String REFUSED = "read-only delegation";
    private ImapStateFixture fixture;

    @BeforeEach
    void seed() throws Exception {
        fixture = ImapStateFixture.seeded();
    }

    private ImapDialogue selected() throws Exception {
        ImapDialogue imap = fixture.readOnlyDelegate();
        assertThat(imap.status("SELECT " + fixture.folder)).contains("OK [READ-ONLY]").contains("SELECT");
        return imap;
    }

    @Test
    void selectIsServedAsExamineAndKeepsRecent() throws Exception {
        try (ImapDialogue imap = selected()) {
            assertThat(imap.status("SEARCH ALL")).contains("OK");
            assertThat(imap.status("EXAMINE " + fixture.folder)).contains("OK [READ-ONLY]");
        }
        assertThat(fixture.status()).isEqualTo(new Status(2, 2, 2));
    }

    /** MYRIGHTS tells the truth (RFC 4314): look up and read, not the holder's rights; the holder keeps all of them. */
    @Test
    void myRightsAreLookupAndReadForTheDelegate() throws Exception {
        try (ImapDialogue imap = fixture.readOnlyDelegate()) {
            assertThat(imap.command("MYRIGHTS " + fixture.folder)).contains("* MYRIGHTS \"" + fixture.folder + "\" \"lr\"");
        }
        try (ImapDialogue holder = fixture.holder()) {
            assertThat(holder.command("MYRIGHTS " + fixture.folder)).contains("\"aeiklprstwx\"");
        }
    }

    @Test
    void closeAfterSelectExpungesNothing() throws Exception {
        try (ImapDialogue imap = selected()) {
            assertThat(imap.status("CLOSE")).contains("OK");
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
        assertThat(fixture.flags()).contains("\\Deleted");
    }

    @Test
    void fetchingABodyDoesNotSetSeen() throws Exception {
        try (ImapDialogue imap = selected()) {
            assertThat(imap.command("FETCH 1:* (BODY[])")).contains("Body of unseen").doesNotContain("\\Seen");
            assertThat(imap.command("FETCH 2 (RFC822)")).contains("Body of unseen");
        }
        assertThat(fixture.status().unseen()).isEqualTo(2);
    }

    @Test
    void storeAndUidStoreAreRefused() throws Exception {
        try (ImapDialogue imap = selected()) {
            assertThat(imap.status("STORE 2 +FLAGS (\\Seen)")).contains("NO").contains(REFUSED);
            assertThat(imap.status("UID STORE 1:* -FLAGS (\\Deleted)")).contains("NO").contains(REFUSED);
        }
        assertThat(fixture.status()).isEqualTo(new Status(2, 2, 2));
        assertThat(fixture.flags()).contains("\\Deleted");
    }

    @Test
    void expungeAndUidExpungeAreRefused() throws Exception {
        try (ImapDialogue imap = selected()) {
            assertThat(imap.status("EXPUNGE")).contains("NO").contains(REFUSED);
            assertThat(imap.status("UID EXPUNGE 1:*")).contains("NO").contains(REFUSED);
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
    }

    @Test
    void copyAndMoveAreRefused() throws Exception {
        try (ImapDialogue imap = selected()) {
            assertThat(imap.status("COPY 1:* " + fixture.other)).contains("NO").contains(REFUSED);
            assertThat(imap.status("UID COPY 1:* " + fixture.other)).contains("NO").contains(REFUSED);
            assertThat(imap.status("MOVE 1:* " + fixture.other)).contains("NO").contains(REFUSED);
            assertThat(imap.status("UID MOVE 1:* " + fixture.other)).contains("NO").contains(REFUSED);
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
        assertThat(fixture.status(fixture.other).messages()).isZero();
    }

    @Test
    void appendIsRefused() throws Exception {
        try (ImapDialogue imap = fixture.readOnlyDelegate()) {
            assertThat(imap.append(fixture.other, "", ImapStateFixture.message("planted"))).contains("NO").contains(REFUSED);
            assertThat(imap.append("INBOX", "", ImapStateFixture.message("planted"))).contains("NO").contains(REFUSED);
        }
        assertThat(fixture.status(fixture.other).messages()).isZero();
    }

    @Test
    void replaceIsNotAccepted() throws Exception {
        try (ImapDialogue imap = selected()) {
            String reply = imap.commandWithLiteral("REPLACE 1 " + fixture.other,
                ImapStateFixture.message("replacement").getBytes(StandardCharsets.UTF_8));
            assertThat(reply.lines().reduce((first, last) -> last).orElseThrow()).doesNotContain(" OK ");
        }
        assertThat(fixture.status().messages()).isEqualTo(2);
        assertThat(fixture.status(fixture.other).messages()).isZero();
    }

    @Test
    void createDeleteAndRenameOfTheHoldersMailboxesAreRefused() throws Exception {
        try (ImapDialogue imap = fixture.readOnlyDelegate()) {
            assertThat(imap.status("CREATE " + fixture.folder + "-new")).contains("NO").contains(REFUSED);
            assertThat(imap.status("CREATE " + fixture.folder + ".child")).contains("NO").contains(REFUSED);
            assertThat(imap.status("DELETE " + fixture.other)).contains("NO").contains(REFUSED);
            assertThat(imap.status("RENAME " + fixture.other + " " + fixture.other + "-renamed")).contains("NO").contains(REFUSED);
            assertThat(imap.status("RENAME INBOX " + fixture.folder + "-inbox")).contains("NO").contains(REFUSED);
        }
        try (ImapDialogue holder = fixture.holder()) {
            String list = holder.command("LIST \"\" \"" + fixture.folder + "*\"");
            assertThat(list).contains(fixture.other).doesNotContain("-new").doesNotContain("child")
                .doesNotContain("-renamed").doesNotContain("-inbox");
        }
    }

    @Test
    void subscribeAndUnsubscribeAreRefused() throws Exception {
        try (ImapDialogue holder = fixture.holder()) {
            assertThat(holder.status("SUBSCRIBE " + fixture.folder)).contains("OK");
        }
        try (ImapDialogue imap = fixture.readOnlyDelegate()) {
            assertThat(imap.status("SUBSCRIBE " + fixture.other)).contains("NO").contains(REFUSED);
            assertThat(imap.status("UNSUBSCRIBE " + fixture.folder)).contains("NO").contains(REFUSED);
        }
        try (ImapDialogue holder = fixture.holder()) {
            String lsub = holder.command("LSUB \"\" \"" + fixture.folder + "*\"");
            assertThat(lsub).containsPattern(java.util.regex.Pattern.quote(fixture.folder) + "\"?\r?\n").doesNotContain(fixture.other);
        }
    }

    @Test
    void aclCommandsThatChangeRightsAreRefusedReadingThemIsAllowed() throws Exception {
        try (ImapDialogue imap = fixture.readOnlyDelegate()) {
            assertThat(imap.status("SETACL " + fixture.folder + " claire lrswipkxtecda")).contains("NO").contains(REFUSED);
            assertThat(imap.status("DELETEACL " + fixture.folder + " " + ImapStateFixture.HOLDER)).contains("NO").contains(REFUSED);
            assertThat(imap.status("MYRIGHTS " + fixture.folder)).contains("OK");
        }
        try (ImapDialogue holder = fixture.holder()) {
            assertThat(holder.command("GETACL " + fixture.folder)).doesNotContain("claire");
        }
    }

    @Test
    void metadataAndQuotaChangesAreNotAccepted() throws Exception {
        try (ImapDialogue imap = fixture.readOnlyDelegate()) {
            // SETMETADATA has no parser in James 3.8.1 (not offered: BAD); refused by the guard were it parsed
            assertThat(imap.status("SETMETADATA " + fixture.folder + " (/private/comment \"planted\")")).doesNotContain(" OK ");
            assertThat(imap.status("SETQUOTA #private&" + ImapStateFixture.HOLDER + " (STORAGE 1)")).contains("NO").contains(REFUSED);
        }
    }
}
