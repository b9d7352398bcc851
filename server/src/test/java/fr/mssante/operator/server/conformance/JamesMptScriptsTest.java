package fr.mssante.operator.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.TestServer;

/**
 * James's own IMAP protocol scripts (MPT, {@code mpt/impl/imap-mailbox/core/.../scripts/*.test}, Apache-2.0, see
 * {@code src/test/resources/mpt/README.md}) replayed black-box against our assembled server: one server, a fresh
 * mailbox (James user, password login) and a fresh client address per script, IMAPS. Each script runs with the
 * preamble James's suites give it ({@link Setup}); the scripts we do not run are listed in {@link #EXCLUDED} with the
 * reason, and {@link #everyScriptIsRunOrExcludedWithAReason()} keeps that list complete. Listed in
 * docs/features/mail-server.md ("IMAP conformance (James MPT scripts)").
 */
class JamesMptScriptsTest {
    static final String JAMES = "/mpt/james-3.8.1/";
    static final String UPSTREAM = "/mpt/upstream/";
    private static final String PASSWORD = "password";

    /** The preamble James's suite classes (3.8.1, {@code BasicImapCommands}) run before (and after) a script. */
    enum Setup {
        /** Security: the script reads the greeting itself. */
        NONE,
        /** NonAuthenticatedState: the greeting. */
        GREETING,
        /** AuthenticatedState and most suites: the greeting, LOGIN. */
        LOGIN,
        /** SelectedInbox: LOGIN, SELECT INBOX (empty), CLOSE afterwards. */
        INBOX,
        /** SelectedState, Fetch*, Rename...: LOGIN, SelectedStateSetup.test before, SelectedStateCleanup.test after. */
        SELECTED
    }

    record Run(String script, String resource, Setup setup) {
        String displayName() {
            return script + " [" + setup.name().toLowerCase() + (resource.startsWith(UPSTREAM) ? ", upstream" : "") + "]";
        }
    }

    /** Scripts of the 3.8.1 directory not run here, with the reason. */
    static final Map<String, String> EXCLUDED = new LinkedHashMap<>();

    static {
        String fixture = "a preamble of the other scripts (BasicImapCommands), not a test of its own";
        EXCLUDED.put("Welcome", fixture);
        EXCLUDED.put("SelectedStateSetup", fixture);
        EXCLUDED.put("SelectedStateCleanup", fixture);
        String unused = "not run by any of James 3.8.1's own suites (left over in the directory; several no longer match James itself)";
        for (String script : List.of("ComplexMail", "FetchNILSaveDate", "InboxAddMessages", "InboxDeleteMessages", "ListOnly",
            "ListSpecialChar", "PeekMultipartAlternative", "PeekMultipartMixed", "PeekMultipartMixedComplex", "SelectInbox")) {
            EXCLUDED.put(script, unused);
        }
        EXCLUDED.put("AuthenticatePlain", "its SASL PLAIN literals hard-code the login imapuser/password in base64 and it "
            + "expects James's DelegationStore (imapuser acting as 'delegate'); our authorisation identities come from the "
            + "register (tokens), tested in ProfessionalAccessTest and PasswordScopeAndThrottleTest");
        String sharing = "sharing between users by IMAP ACLs (James's ACL store: the host grants rights on another user's "
            + "mailbox); here who may open a mailbox is the register's (holders, co-holders, delegates), ACL changes are refused";
        EXCLUDED.put("ACLCommandsOnOtherUser", sharing);
        EXCLUDED.put("ACLCommandsOnOwner", sharing);
        EXCLUDED.put("Rights", "expects SETACL/DELETEACL to answer OK; here they answer NO with the reason (rights are the "
            + "register's; James on JPA answered OK and stored nothing): aclChangesAreRefusedAndNothingClaimsASharing");
        EXCLUDED.put("CondstoreDisable", "checks that CONDSTORE is hidden when a James configuration disables it; we offer "
            + "CONDSTORE (CondstoreEnable runs)");
        EXCLUDED.put("Replace", "UID REPLACE (RFC 8508) is not offered: REPLACE is advertised nowhere (CAPABILITY), the "
            + "command answers BAD as any unknown one");
        EXCLUDED.put("FetchSaveDate", "the JPA mailbox keeps no save date: FETCH SAVEDATE answers NIL, as RFC 8514 §4 allows");
        EXCLUDED.put("SearchSaveDate", "the JPA mailbox keeps no save date (RFC 8514): SAVEDBEFORE/SAVEDSINCE match nothing");
        EXCLUDED.put("ObjectId", "OBJECTID (RFC 8474) needs message ids the JPA mailbox does not have; not advertised");
        String examine = "expects DELETE/RENAME of the mailbox the same session EXAMINEd to succeed; our EXAMINE is read-only "
            + "for the whole session (ReadOnlySelections, also what a read-only delegate gets): stricter than RFC 3501, deliberate";
        String bareLf = "one APPEND announces {11976+} while the script's lines make the literal end on a bare CR and the "
            + "command on a bare LF (RFC 3501 §2.2 requires CRLF): James's own Netty decoder (NettyImapRequestLineReader "
            + "reads the literal plus 2 octets), like ours, waits for the rest of the line; only James's in-process test "
            + "host, which reads line by line, accepts it. Unchanged upstream";
        for (String script : List.of("SearchAtoms", "SearchCombinations", "UidSearchAtoms", "UidSearchCombinations",
            "UidSearchAtomsIndexer", "Rename")) {
            EXCLUDED.put(script, bareLf);
        }
        EXCLUDED.put("ExamineEmpty", examine);
        EXCLUDED.put("AppendExamineInbox", examine);
        EXCLUDED.put("aclIntegration/*", sharing);
    }

    static final List<String> MIME4J_UPDATED = List.of("FetchMultipartBodyStructure", "FetchSimpleBodyStructure",
        "FetchStructureComplex", "FetchStructureEmbedded");

    /** Every script run, with its suite's preamble (a script that two James suites run is run under both). */
    static List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        add(runs, Setup.NONE, "BadTag", "BogusCommand", "IllegalTag", "JustTag", "LoginThreeStrikes", "NoCommand", "NoTag",
            "SharedMailbox");
        add(runs, Setup.GREETING, "Authenticate", "Capability", "Login", "Logout", "Noop", "ValidAuthenticated", "ValidSelected");
        add(runs, Setup.LOGIN, "Append", "AppendExpunge", "AppendSelectInbox", "Capability", "Create",
            "Delete", "Id", "ListMailboxes", "ListNamespace", "ListSubscribed", "Logout", "Namespace", "Noop",
            "SelectAppend", "SelectEmpty", "Status", "StringArgs", "Subscribe", "ValidNonAuthenticated",
            "ConcurrentAppendUIDToMSNMapping", "ConcurrentCrossExpunge", "ConcurrentDeleteSelected", "ConcurrentExistsResponse",
            "ConcurrentExpungeResponse", "ConcurrentExpungeUIDToMSNMapping", "ConcurrentFetchResponse", "ConcurrentRenameSelected",
            "ConcurrentRenameSelectedSub", "CondstoreEnable", "ListPercentWildcard", "ListPlus", "XList",
            "ListWithSharedMailbox", "Recent", "SearchAtoms", "SearchCombinations", "SearchOptionAggregations", "SearchOptionSave",
            "SelectUnseen", "UidSearchAtoms", "UidSearchCombinations", "UidSearchAtomsIndexer", "UserFlagsSupport");
        // (not Logout: James's in-process host answers the CLOSE it sends after LOGOUT; a real server has closed)
        add(runs, Setup.INBOX, "Append", "Capability", "Create", "Delete", "ListMailboxes", "ListNamespace",
            "ListSubscribed", "Noop", "SelectEmpty", "Status", "StringArgs", "Subscribe", "ValidNonAuthenticated");
        add(runs, Setup.SELECTED, "Check", "Copy", "Expunge", "FetchMultipleMessages", "FetchPeek", "FetchSingleMessage",
            "Namespace", "Search", "Store", "Uid", "AppendToSelected", "ExpungeBasics",
            "FetchBodyNoSection", "FetchEnvelope", "FetchInternalDate", "FetchRFC822", "FetchRFC822Header", "FetchRFC822Mixed",
            "FetchRFC822Text", "FetchText", "FetchMultipartAlternative", "FetchMultipartMixed",
            "FetchMultipartMixedComplex", "FetchMultipartBodyStructure", "FetchSimpleBodyStructure", "FetchStructureComplex",
            "FetchStructureEmbedded", "FetchHeaderFields", "FetchHeaderFieldsNot", "Metadata", "MetadataWithBinaryData",
            "MetadataWithLimitation", "CreateErrorWithLongName", "Move", "MoveNoMSG", "BodyPartialFetch",
            "HeaderPartialFetch", "MimePartialFetch", "TextPartialFetch", "Quota", "Rename", "RenameHierarchy", "RenameSelected");
        // later upstream scripts for bugs James fixed after 3.8.1
        runs.add(new Run("DeleteInbox", UPSTREAM + "DeleteInbox.test", Setup.LOGIN)); // JAMES-4095
        runs.add(new Run("RenameInbox", UPSTREAM + "RenameInbox.test", Setup.SELECTED)); // JAMES-4096
        runs.add(new Run("FetchAllEmptyMailbox", UPSTREAM + "FetchAllEmptyMailbox.test", Setup.SELECTED)); // JAMES-4060
        runs.add(new Run("Uid", UPSTREAM + "Uid.test", Setup.SELECTED)); // JAMES-4060
        runs.add(new Run("Quota", UPSTREAM + "Quota.test", Setup.SELECTED)); // JAMES-2086
        // the same 3.8.1 scripts as updated upstream for mime4j 0.8.11 (default charset US-ASCII, not us-ascii): we
        // ship mime4j 0.8.12 (CVE-2024-21742), James 3.8.1 0.8.9
        for (String script : MIME4J_UPDATED) {
            runs.add(new Run(script, UPSTREAM + script + ".test", Setup.SELECTED));
        }
        return runs;
    }

    private static void add(List<Run> runs, Setup setup, String... scripts) {
        for (String script : scripts) {
            if (EXCLUDED.containsKey(script) || MIME4J_UPDATED.contains(script)) {
                continue;
            }
            runs.add(new Run(script, JAMES + script + ".test", setup));
        }
    }

    private static TestServer server;
    private static SSLContext tls;
    private static final AtomicInteger SCRIPTS = new AtomicInteger();
    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.shared();
        tls = server.clientTls();
    }

    @TestFactory
    Stream<DynamicTest> jamesScripts() {
        String only = System.getProperty("mpt.only", "");
        return runs().stream().filter(run -> only.isEmpty() || run.script().equals(only)).map(run -> DynamicTest.dynamicTest(run.displayName(), () -> play(run)));
    }

    /** A script that fails fails its test: no replay (a flaky script is a fault of ours, see ImapCommandOrderTest). */
    private static void play(Run run) throws Exception {
        playOnce(run);
    }

    private static void playOnce(Run run) throws Exception {
        int n = SCRIPTS.incrementAndGet();
        String user = "mpt" + n + "x" + RUN_ID + "@" + DemoData.DOMAIN;
        assertThat(webAdmin("PUT", "/users/" + user, "{\"password\":\"" + PASSWORD + "\"}").statusCode()).isEqualTo(204);
        if (run.script().equals("Quota")) {
            // as James's QuotaTest: 7 messages, 5 GiB
            assertThat(webAdmin("PUT", "/quota/users/" + user + "/count", "7").statusCode()).isEqualTo(204);
            assertThat(webAdmin("PUT", "/quota/users/" + user + "/size", Long.toString(5L * 1024 * 1024 * 1024)).statusCode()).isEqualTo(204);
        }
        withoutDefaultFolders(user);
        MptScript script = withSetup(load(run.resource()), run.setup(), user);
        // every script from its own loopback address: the login throttle's counters of one never touch another's
        String source = "127.0.1." + (1 + n % 250);
        new MptRunner(server.port(ListeningPorts.IMAPS), tls, source).run(script);
    }

    /**
     * The first login provisions INBOX and the default folders (Drafts, Sent, Trash...: James's
     * {@code provisionDefaultMailboxes}, on here for clients); James's test host has none, and its LIST scripts list
     * every folder. They are removed once, INBOX stays, so later logins provision nothing.
     */
    private static void withoutDefaultFolders(String user) throws Exception {
        try (fr.mssante.operator.server.testing.ImapDialogue imap = fr.mssante.operator.server.testing.ImapDialogue
            .connectTlsFrom(server.port(ListeningPorts.IMAPS), tls, "127.0.0.1")) {
            assertThat(imap.status("LOGIN " + user + " " + PASSWORD)).contains("OK");
            Matcher folders = Pattern.compile("\\* LIST \\([^)]*\\) \"\\.\" \"?([^\"\\r\\n]+)\"?").matcher(imap.command("LIST \"\" \"*\""));
            while (folders.find()) {
                if (!folders.group(1).equalsIgnoreCase("INBOX")) {
                    assertThat(imap.status("DELETE \"" + folders.group(1) + "\"")).contains("OK");
                    imap.status("UNSUBSCRIBE \"" + folders.group(1) + "\"");
                }
            }
        }
    }

    static MptScript load(String resource) throws IOException {
        try (InputStream in = JamesMptScriptsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return MptScript.read(resource.substring(resource.lastIndexOf('/') + 1), in);
        }
    }

    /** The suite's preamble, and the script's fixed user name replaced by this run's fresh mailbox. */
    static MptScript withSetup(MptScript script, Setup setup, String user) throws IOException {
        List<MptScript.Step> before = new ArrayList<>();
        MptScript after = new MptScript(script.name(), List.of());
        if (setup != Setup.NONE) {
            before.add(new MptScript.Server(-1, GREETING, "preamble"));
        }
        if (setup == Setup.LOGIN || setup == Setup.INBOX || setup == Setup.SELECTED) {
            before.add(new MptScript.Client(-1, "a001 LOGIN imapuser " + PASSWORD));
            before.add(new MptScript.Server(-1, "a001 OK .*", "preamble"));
        }
        if (setup == Setup.INBOX) {
            before.add(new MptScript.Client(-1, "abcd SELECT inbox"));
            for (String line : List.of("\\* OK \\[MAILBOXID \\(.+\\)\\] Ok",
                "\\* FLAGS \\(\\\\Answered \\\\Deleted \\\\Draft \\\\Flagged \\\\Seen\\)", "\\* \\d+ EXISTS", "\\* \\d+ RECENT",
                "\\* OK \\[UIDVALIDITY \\d+\\].*",
                "\\* OK \\[PERMANENTFLAGS \\(\\\\Answered \\\\Deleted \\\\Draft \\\\Flagged \\\\\\Seen( \\\\\\*)?\\)\\].*",
                "\\* OK \\[HIGHESTMODSEQ \\d+\\].*", "\\* OK \\[UIDNEXT 1\\].*", "abcd OK \\[READ-WRITE\\] SELECT completed.")) {
                before.add(new MptScript.Server(-1, line, "preamble"));
            }
            after = new MptScript(script.name(), List.of(new MptScript.Client(-1, "a CLOSE"), new MptScript.Server(-1, ".*", "postamble")));
        }
        if (setup == Setup.SELECTED) {
            before.addAll(load(JAMES + "SelectedStateSetup.test").steps());
            after = load(JAMES + "SelectedStateCleanup.test");
        }
        MptScript whole = script.before(before).then(after);
        Pattern name = Pattern.compile("\\bimapuser\\b");
        return whole.rewritten(line -> name.matcher(line).replaceAll(Matcher.quoteReplacement(user)),
            pattern -> pattern.equals(JAMES_GREETING) ? GREETING
                : name.matcher(pattern).replaceAll(Matcher.quoteReplacement(Pattern.quote(user))));
    }

    /** James's test host greets with this; a server's greeting text is its own (RFC 3501 §7.1: human-readable). */
    static final String JAMES_GREETING = "\\* OK IMAP4rev1 Server ready";
    static final String GREETING = "\\* OK .*";

    @Test
    void aclChangesAreRefusedAndNothingClaimsASharing() throws Exception {
        String user = "mptacl" + RUN_ID + "@" + DemoData.DOMAIN;
        assertThat(webAdmin("PUT", "/users/" + user, "{\"password\":\"" + PASSWORD + "\"}").statusCode()).isEqualTo(204);
        try (fr.mssante.operator.server.testing.ImapDialogue imap = fr.mssante.operator.server.testing.ImapDialogue
            .connectTlsFrom(server.port(ListeningPorts.IMAPS), tls, "127.0.0.1")) {
            assertThat(imap.status("LOGIN " + user + " " + PASSWORD)).contains("OK");
            assertThat(imap.status("SETACL INBOX bob lr")).contains("NO").contains("register");
            assertThat(imap.status("DELETEACL INBOX bob")).contains("NO").contains("register");
            assertThat(imap.command("GETACL INBOX")).doesNotContain("bob");
            assertThat(imap.command("MYRIGHTS INBOX")).contains("OK");
        }
    }

    /** CONDSTORE (RFC 7162) offered; REPLACE (RFC 8508), which we do not implement, advertised nowhere. */
    @Test
    void capabilitiesOfferCondstoreButNotReplace() throws Exception {
        String user = "mptcap" + RUN_ID + "@" + DemoData.DOMAIN;
        assertThat(webAdmin("PUT", "/users/" + user, "{\"password\":\"" + PASSWORD + "\"}").statusCode()).isEqualTo(204);
        try (fr.mssante.operator.server.testing.ImapDialogue imap = fr.mssante.operator.server.testing.ImapDialogue
            .connectTlsFrom(server.port(ListeningPorts.IMAPS), tls, "127.0.0.1")) {
            assertThat(imap.command("CAPABILITY")).contains(" CONDSTORE").doesNotContain("REPLACE");
            assertThat(imap.status("LOGIN " + user + " " + PASSWORD)).contains("OK");
            assertThat(imap.command("CAPABILITY")).contains(" CONDSTORE").doesNotContain("REPLACE");
            assertThat(imap.command("ENABLE CONDSTORE")).contains("* ENABLED CONDSTORE");
        }
    }

    @Test
    void everyScriptIsRunOrExcludedWithAReason() throws Exception {
        Set<String> scripts = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources" + JAMES))) {
            files.map(file -> file.getFileName().toString()).filter(file -> file.endsWith(".test"))
                .forEach(file -> scripts.add(file.substring(0, file.length() - ".test".length())));
        }
        scripts.add("aclIntegration/*");
        Set<String> run = new TreeSet<>();
        runs().stream().filter(r -> r.resource().startsWith(JAMES) || MIME4J_UPDATED.contains(r.script()))
            .forEach(r -> run.add(r.script()));
        Set<String> accounted = new TreeSet<>(run);
        accounted.addAll(EXCLUDED.keySet());
        assertThat(accounted).isEqualTo(scripts);
        assertThat(run).doesNotContainAnyElementsOf(EXCLUDED.keySet());
        assertThat(EXCLUDED.values()).allSatisfy(reason -> assertThat(reason).isNotBlank());
    }

    static HttpResponse<String> webAdmin(String method, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + server.webAdminToken())
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
            .build(), HttpResponse.BodyHandlers.ofString());
    }
}
