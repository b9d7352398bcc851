package fr.mssante.operator.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.ImapDialogue;

/**
 * Every IMAP command that names a mailbox gets a tagged answer, within seconds, when that mailbox is another user's
 * (James's shared-namespace notation {@code #user.<address>.<mailbox>}), does not exist, or is the delegator's mailbox
 * of a read-only delegate (RFC 3501/9051: every command ends with a tagged OK, NO or BAD). James 3.8.1 left a SELECT of
 * {@code #user...} unanswered: the client hung until its own timeout, and the connection took no other command.
 *
 * <p>Another user's mailbox and a mailbox that does not exist get the same answer (RFC 4314 §4: no hint of
 * existence without the right to see it), nothing changes in the other user's mailbox, and a read-only delegate's
 * write commands are refused.
 */
class ForeignMailboxAnswersTest {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final String CLAIRE = "claire.secretaire@" + DemoData.DOMAIN;
    private static final String OTHER_USER_PREFIX = "#user." + ImapStateFixture.HOLDER + ".";

    private static ImapStateFixture fixture;
    /** Claire's own folder holding one message (the source of COPY, MOVE and REPLACE). */
    private static final String OWN = "Own-" + UUID.randomUUID().toString().substring(0, 8);
    private static Map<String, String> holderStateBefore;

    @BeforeAll
    static void seed() throws Exception {
        fixture = ImapStateFixture.seeded();
        try (ImapDialogue claire = fixture.authenticated(CLAIRE, DemoData.CLAIRE_ID)) {
            assertThat(claire.status("CREATE " + OWN)).contains("OK");
            assertThat(claire.append(OWN, "", ImapStateFixture.message("own"))).contains("OK");
        }
        holderStateBefore = holderState();
    }

    /** A command naming mailbox {@code %s}; {@code selected}: run with Claire's own folder (or the delegator's) selected. */
    record Row(String name, String command, boolean writes, boolean selected, boolean literal) {
        String with(String mailbox) {
            return command.replace("%s", mailbox);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Row> ROWS = List.of(
        read("SELECT", "SELECT %s"),
        read("EXAMINE", "EXAMINE %s"),
        read("STATUS", "STATUS %s (MESSAGES UIDNEXT UNSEEN)"),
        read("GETACL", "GETACL %s"),
        read("MYRIGHTS", "MYRIGHTS %s"),
        read("LISTRIGHTS", "LISTRIGHTS %s " + CLAIRE),
        read("GETQUOTAROOT", "GETQUOTAROOT %s"),
        read("GETMETADATA", "GETMETADATA %s (/private/comment /shared/comment)"),
        write("APPEND", "APPEND %s", false, true),
        write("COPY", "COPY 1 %s", true, false),
        write("UID COPY", "UID COPY 1:* %s", true, false),
        write("MOVE", "MOVE 1 %s", true, false),
        write("UID MOVE", "UID MOVE 1:* %s", true, false),
        write("REPLACE", "REPLACE 1 %s", true, true),
        write("CREATE", "CREATE %s", false, false),
        write("CREATE child", "CREATE %s.child", false, false),
        write("DELETE", "DELETE %s", false, false),
        write("RENAME from", "RENAME %s Renamed-" + UUID.randomUUID().toString().substring(0, 8), false, false),
        write("RENAME to", "RENAME " + OWN + " %s", false, false),
        write("SUBSCRIBE", "SUBSCRIBE %s", false, false),
        write("UNSUBSCRIBE", "UNSUBSCRIBE %s", false, false),
        write("SETACL", "SETACL %s " + CLAIRE + " lrswipkxtecda", false, false),
        write("DELETEACL", "DELETEACL %s " + ImapStateFixture.HOLDER, false, false),
        write("SETMETADATA", "SETMETADATA %s (/private/comment \"planted\")", false, false));

    private static final List<String> LISTINGS = List.of(
        "LIST \"\" %s", "LIST \"\" \"#user.*\"", "LIST \"\" \"#user.%\"", "LIST \"#user.\" \"*\"", "LIST \"\" \"#*\"",
        "LSUB \"\" \"#user.*\"", "LSUB \"#user.\" \"*\"", "XLIST \"\" \"#user.*\"");

    private static Row read(String name, String command) {
        return new Row(name, command, false, false, false);
    }

    private static Row write(String name, String command, boolean selected, boolean literal) {
        return new Row(name, command, true, selected, literal);
    }

    static Stream<Row> rows() {
        return ROWS.stream();
    }

    static Stream<Arguments> listings() {
        return LISTINGS.stream().map(Arguments::of);
    }

    /**
     * (a) another user's existing mailbox, (b) another user's missing mailbox and (c) a mailbox of a user who does not
     * exist: a tagged NO or BAD each time, the same one for all three, and nothing changed in the other user's mailbox.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void anotherUsersMailboxIsRefusedExactlyLikeAMissingOne(Row row) throws Exception {
        List<String> answers = new ArrayList<>();
        for (String mailbox : List.of(OTHER_USER_PREFIX + fixture.folder, OTHER_USER_PREFIX + "Absent-" + fixture.folder,
            "#user.nobody@" + DemoData.DOMAIN + ".INBOX")) {
            try (ImapDialogue claire = fixture.authenticated(CLAIRE, DemoData.CLAIRE_ID).answeringWithin(ANSWER_WITHIN)) {
                if (row.selected()) {
                    assertThat(claire.status("SELECT " + OWN)).contains("OK");
                }
                String reply = answer(claire, row, "\"" + mailbox + "\"");
                assertThat(lastLine(reply)).as("%s on %s", row.name(), mailbox).matches(claire.lastTag() + " (NO|BAD) .*");
                answers.add(reply.replace(claire.lastTag() + " ", "").replace(mailbox, "<mailbox>"));
                assertThat(claire.status("NOOP")).as("the connection goes on").contains("OK");
            }
        }
        assertThat(answers).as("same answer whether the mailbox exists or not").containsOnly(answers.get(0));
        assertThat(holderState()).isEqualTo(holderStateBefore);
        assertThat(ownMessages()).isEqualTo(1);
    }

    /** LIST and LSUB patterns into the other-users namespace answer, and list none of the other user's mailboxes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("listings")
    void listingsOfOtherUsersAnswerAndShowNothing(String command) throws Exception {
        try (ImapDialogue claire = fixture.authenticated(CLAIRE, DemoData.CLAIRE_ID).answeringWithin(ANSWER_WITHIN)) {
            String reply = answer(claire, new Row(command, command, false, false, false),
                "\"" + OTHER_USER_PREFIX + fixture.folder + "\"");
            assertThat(lastLine(reply)).matches(claire.lastTag() + " (OK|NO|BAD) .*");
            assertThat(reply).doesNotContain(fixture.folder).doesNotContain("bruno");
            assertThat(claire.status("NOOP")).contains("OK");
        }
    }

    /**
     * (c) A read-only delegate (Claire, DELEGATE_READ on Bruno's mailbox) on the delegator's folder: every command is
     * answered, every write command is refused, and the folder is as it was.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void readOnlyDelegateGetsAnAnswerAndChangesNothing(Row row) throws Exception {
        try (ImapDialogue delegate = fixture.readOnlyDelegate().answeringWithin(ANSWER_WITHIN)) {
            if (row.selected()) {
                assertThat(delegate.status("SELECT " + fixture.folder)).contains("OK [READ-ONLY]");
            }
            String target = row.name().equals("RENAME to") ? fixture.other : fixture.folder;
            String reply = answer(delegate, new Row(row.name(), row.command().replace(OWN, fixture.folder), row.writes(),
                row.selected(), row.literal()), target);
            assertThat(lastLine(reply)).matches(delegate.lastTag() + (row.writes() ? " (NO|BAD) .*" : " (OK|NO|BAD) .*"));
            assertThat(delegate.status("NOOP")).contains("OK");
        }
        assertThat(holderState()).isEqualTo(holderStateBefore);
    }

    /** A read-only delegate naming a third user's mailbox is refused like anyone else, and the session goes on. */
    @Test
    void readOnlyDelegateNamingAThirdUsersMailboxIsRefused() throws Exception {
        try (ImapDialogue delegate = fixture.readOnlyDelegate().answeringWithin(ANSWER_WITHIN)) {
            for (String command : List.of("SELECT %s", "STATUS %s (MESSAGES)", "GETACL %s", "COPY 1 %s")) {
                String reply = answer(delegate, read(command, command), "\"#user.alice.martin@" + DemoData.DOMAIN + ".INBOX\"");
                assertThat(lastLine(reply)).as(command).matches(delegate.lastTag() + " (NO|BAD) .*");
            }
            assertThat(delegate.status("NOOP")).contains("OK");
        }
    }

    /** The same names over one connection: each refusal leaves the connection able to serve the next command. */
    @Test
    void oneConnectionAnswersEveryForeignCommandInTurn() throws Exception {
        try (ImapDialogue claire = fixture.authenticated(CLAIRE, DemoData.CLAIRE_ID).answeringWithin(ANSWER_WITHIN)) {
            for (Row row : ROWS) {
                if (row.selected()) {
                    assertThat(claire.status("SELECT " + OWN)).contains("OK");
                }
                String reply = answer(claire, row, "\"" + OTHER_USER_PREFIX + fixture.folder + "\"");
                assertThat(lastLine(reply)).as(row.name()).matches(claire.lastTag() + " (NO|BAD) .*");
            }
            assertThat(claire.status("SELECT " + OWN)).contains("OK");
            assertThat(claire.status("NOOP")).contains("OK");
        }
        assertThat(holderState()).isEqualTo(holderStateBefore);
        assertThat(audited("IMAP_OTHER_USER_MAILBOX_REFUSED")).anySatisfy(event -> {
            assertThat(event.sender()).contains(CLAIRE);
            assertThat(event.detail().orElseThrow()).contains("SELECT");
        });
    }

    /** No other-users or shared namespace is offered (RFC 2342): a client has no reason to try #user. */
    @Test
    void namespaceOffersThePersonalNamespaceOnly() throws Exception {
        try (ImapDialogue claire = fixture.authenticated(CLAIRE, DemoData.CLAIRE_ID).answeringWithin(ANSWER_WITHIN)) {
            assertThat(claire.command("NAMESPACE")).containsPattern("\\* NAMESPACE \\(\\(\"[^\"]*\" \"\\.\"\\)\\) NIL NIL");
        }
    }

    /** The other user's quota (his quota root) is neither shown nor changed; IDLE after a refused SELECT still works. */
    @Test
    void quotaOfTheOtherUserAndIdleAreAnswered() throws Exception {
        String quotaRoot = "\"#private&" + ImapStateFixture.HOLDER + "\"";
        String holderQuota;
        try (ImapDialogue holder = fixture.holder()) {
            holderQuota = holder.command("GETQUOTAROOT INBOX").replaceAll("(?m)^t\\d+ ", "");
        }
        try (ImapDialogue claire = fixture.authenticated(CLAIRE, DemoData.CLAIRE_ID).answeringWithin(ANSWER_WITHIN)) {
            String quota = answer(claire, read("GETQUOTA", "GETQUOTA %s"), quotaRoot);
            assertThat(lastLine(quota)).matches(claire.lastTag() + " (NO|BAD) .*");
            assertThat(quota).doesNotContain("* QUOTA");
            String setQuota = answer(claire, read("SETQUOTA", "SETQUOTA %s (STORAGE 1)"), quotaRoot);
            assertThat(lastLine(setQuota)).matches(claire.lastTag() + " (NO|BAD) .*");

            assertThat(answer(claire, read("SELECT", "SELECT %s"), "\"" + OTHER_USER_PREFIX + fixture.folder + "\""))
                .contains(" NO ");
            assertThat(claire.idleAndDone()).matches(claire.lastTag() + " (OK|NO|BAD) .*");
            assertThat(claire.status("NOOP")).contains("OK");
        }
        try (ImapDialogue holder = fixture.holder()) {
            assertThat(holder.command("GETQUOTAROOT INBOX").replaceAll("(?m)^t\\d+ ", "")).isEqualTo(holderQuota);
        }
    }

    private static List<MessageEvent> audited(String event) {
        MessageEventLog log = new MessageEventLog(fixture.server.runtime().database().dataSource());
        return await().atMost(Duration.ofSeconds(10)).until(() -> log.latest(500).stream()
                .filter(row -> row.event().equals(event) && row.detail().orElse("").contains(fixture.folder)).toList(),
            rows -> !rows.isEmpty());
    }

    private static String answer(ImapDialogue imap, Row row, String mailbox) throws Exception {
        String command = row.with(mailbox);
        try {
            return row.literal()
                ? imap.commandWithLiteral(command, ImapStateFixture.message("planted").getBytes(StandardCharsets.UTF_8))
                : imap.command(command);
        } catch (SocketTimeoutException e) {
            return fail("no tagged answer to \"%s\" within %s", command, ANSWER_WITHIN);
        }
    }

    private static String lastLine(String reply) {
        String[] lines = reply.split("\n");
        return lines[lines.length - 1];
    }

    private static int ownMessages() throws Exception {
        try (ImapDialogue claire = fixture.authenticated(CLAIRE, DemoData.CLAIRE_ID)) {
            String reply = claire.command("STATUS " + OWN + " (MESSAGES)");
            return Integer.parseInt(reply.replaceAll("(?s).*MESSAGES (\\d+).*", "$1"));
        }
    }

    /** What the other user (Bruno) sees of his mailboxes: tree, subscriptions, the folder's messages, rights, metadata. */
    private static Map<String, String> holderState() throws Exception {
        Map<String, String> state = new LinkedHashMap<>();
        try (ImapDialogue holder = fixture.holder()) {
            state.put("list", sorted(holder.command("LIST \"\" \"*\"")));
            state.put("lsub", sorted(holder.command("LSUB \"\" \"*\"")));
            state.put("status", holder.command("STATUS " + fixture.folder + " (MESSAGES RECENT UNSEEN UIDNEXT)"));
            state.put("acl", holder.command("GETACL " + fixture.folder));
            state.put("metadata", holder.command("GETMETADATA " + fixture.folder + " (/private/comment /shared/comment)"));
        }
        state.replaceAll((key, reply) -> reply.replaceAll("(?m)^t\\d+ ", "tag "));
        return state;
    }

    private static String sorted(String reply) {
        return String.join("\n", reply.lines().sorted().toList());
    }
}
