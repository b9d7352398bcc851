package fr.mssante.operator.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.util.MimeUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.ImapDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Issue 16, item 6: IMAP {@code SEARCH BODY}/{@code TEXT} from the PostgreSQL text index (ADR 0011), compared with a
 * brute-force reference over the same messages (parsed independently with mime4j's DOM, compared character by
 * character ignoring case), and exact after a crash, after an expunge, across users and for LIKE's own characters.
 */
class MessageTextSearchTest {
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    private static final List<String> WORDS = List.of("glycémie", "hémoglobine", "Straße", "σοφίας", "naïve", "ÉCHOGRAPHIE",
        "ferritine", "100%", "a_b", "back\\slash", "créatinine", "İstanbul", "kalium", "thyroïde", "Ωmega");
    private static final List<String> LATIN1 = List.of("glycémie", "hémoglobine", "Straße", "naïve", "ÉCHOGRAPHIE",
        "ferritine", "100%", "a_b", "back\\slash", "créatinine", "kalium", "thyroïde");

    private static TestServer server;
    private static DataSource dataSource;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.shared();
        dataSource = server.runtime().database().dataSource();
    }

    private static ImapDialogue login(String user) throws Exception {
        ImapDialogue imap = ImapDialogue.connectTls(server.port(ListeningPorts.IMAPS), server.clientTls());
        assertThat(imap.status("LOGIN \"" + user + "\" \"" + server.password(user) + "\"")).contains("OK");
        return imap;
    }

    @Test
    void bodyAndTextSearchesMatchABruteForceScanOverAMixedCorpus() throws Exception {
        List<String> corpus = corpus(new Random(16), 90);
        try (ImapDialogue imap = login(ALICE)) {
            imap.command("CREATE Corpus");
            for (String message : corpus) {
                // the corpus holds each message's bytes as ISO-8859-1 characters
                String reply = imap.commandWithLiteral("APPEND Corpus", message.getBytes(StandardCharsets.ISO_8859_1));
                assertThat(reply.lines().reduce((a, b) -> b).orElse("")).contains("OK");
            }
            // indexed as part of each APPEND (synchronous listener): no search has run yet
            assertThat(indexRows("Corpus", ALICE)).isEqualTo(corpus.size());
            imap.status("SELECT Corpus");

            List<String> terms = new ArrayList<>();
            for (String word : WORDS) {
                terms.add(word);
                terms.add(word.toUpperCase(java.util.Locale.ROOT));
                terms.add(word.substring(1, word.length() - 1));
            }
            terms.addAll(List.of("%", "_", "\\", "a%b", "100", "ssage", "résultat", "labo@", "subject:", "glycémie hémoglobine",
                "introuvable", "secretpdfword", "ISTANBUL", "istanbul", "ΣΟΦΊΑΣ", "dotless"));
            int nonEmpty = 0;
            for (String term : terms) {
                for (String scope : List.of("BODY", "TEXT")) {
                    TreeSet<Long> expected = reference(corpus, scope, term);
                    assertThat(search(imap, "UID SEARCH CHARSET UTF-8 " + scope, term)).as(scope + " " + term).isEqualTo(expected);
                    nonEmpty += expected.isEmpty() || expected.size() == corpus.size() ? 0 : 1;
                }
            }
            assertThat(nonEmpty).as("searches with a discriminating answer").isGreaterThan(40);

            // combined with criteria the scan evaluates: flags, UIDs, headers, NOT, OR
            imap.status("UID STORE 1:20 +FLAGS (\\Seen)");
            TreeSet<Long> glycemie = reference(corpus, "BODY", "glycémie");
            TreeSet<Long> ferritine = reference(corpus, "TEXT", "ferritine");
            assertThat(search(imap, "UID SEARCH CHARSET UTF-8 SEEN BODY", "glycémie"))
                .isEqualTo(filter(glycemie, uid -> uid <= 20));
            assertThat(search(imap, "UID SEARCH CHARSET UTF-8 UID 10:40 NOT BODY", "glycémie"))
                .isEqualTo(filter(all(corpus), uid -> uid >= 10 && uid <= 40 && !glycemie.contains(uid)));
            TreeSet<Long> either = new TreeSet<>(glycemie);
            either.addAll(ferritine);
            assertThat(search(imap, "UID SEARCH CHARSET UTF-8 OR TEXT ferritine BODY", "glycémie")).isEqualTo(either);
            assertThat(search(imap, "UID SEARCH CHARSET UTF-8 SUBJECT \" 7\" TEXT", "ferritine"))
                .isEqualTo(filter(ferritine, uid -> subjectOf(corpus, uid).contains(" 7")));
        }
    }

    @Test
    void messagesLeftUnindexedByACrashAreFoundAndTheCatchUpRepairsTheIndex() throws Exception {
        try (ImapDialogue imap = login(ALICE)) {
            imap.command("CREATE Crash");
            for (int i = 1; i <= 6; i++) {
                imap.append("Crash", "", plain("crash " + i, i % 2 == 0 ? "prélèvement pair" : "prélèvement impair"));
            }
            imap.status("SELECT Crash");
            long mailbox = mailboxId("Crash", ALICE);
            // a crash between the messages' commit and their indexing, and before an expunge reached the index
            execute("DELETE FROM message_search_text WHERE mailbox_id = " + mailbox + " AND uid IN (2, 3, 4)");
            execute("INSERT INTO message_search_text (mailbox_id, uid, headers, body) VALUES (" + mailbox
                + ", 99, '', 'prélèvement pair fantôme')");
            assertThat(indexRows("Crash", ALICE)).isEqualTo(4);

            assertThat(search(imap, "UID SEARCH CHARSET UTF-8 BODY", "prélèvement pair")).containsExactly(2L, 4L, 6L);
            // the search indexed what it had to read
            assertThat(indexRows("Crash", ALICE)).isEqualTo(7);

            execute("DELETE FROM message_search_text WHERE mailbox_id = " + mailbox + " AND uid IN (1, 5)");
            MessageTextIndex.CatchUp repaired = new MessageTextIndex(dataSource).catchUp();
            assertThat(repaired.indexed()).isGreaterThanOrEqualTo(2);
            assertThat(repaired.removed()).isGreaterThanOrEqualTo(1);
            assertThat(indexRows("Crash", ALICE)).isEqualTo(6);
            assertThat(search(imap, "UID SEARCH CHARSET UTF-8 TEXT", "impair")).containsExactly(1L, 3L, 5L);
        }
    }

    @Test
    void expungedMessagesAndDeletedMailboxesLeaveTheIndex() throws Exception {
        try (ImapDialogue imap = login(ALICE)) {
            imap.command("CREATE Expunge");
            for (int i = 1; i <= 4; i++) {
                imap.append("Expunge", "", plain("expunge " + i, "ordonnance numéro " + i));
            }
            imap.status("SELECT Expunge");
            assertThat(search(imap, "UID SEARCH CHARSET UTF-8 BODY", "ordonnance")).containsExactly(1L, 2L, 3L, 4L);
            imap.status("UID STORE 2:3 +FLAGS (\\Deleted)");
            assertThat(imap.status("EXPUNGE")).contains("OK");
            assertThat(indexRows("Expunge", ALICE)).isEqualTo(2);
            assertThat(search(imap, "UID SEARCH CHARSET UTF-8 BODY", "ordonnance")).containsExactly(1L, 4L);

            long mailbox = mailboxId("Expunge", ALICE);
            imap.status("CLOSE");
            assertThat(imap.status("DELETE Expunge")).contains("OK");
            assertThat(count("SELECT count(*) FROM message_search_text WHERE mailbox_id = " + mailbox)).isZero();
        }
    }

    @Test
    void aSearchNeverReturnsAnotherUsersMessageAndLikeCharactersAreLiteral() throws Exception {
        try (ImapDialogue bruno = login(BRUNO)) {
            bruno.command("CREATE Secret");
            bruno.append("Secret", "", plain("secret", "diagnostic confidentiel zzsecretzz 50% a_b"));
        }
        try (ImapDialogue alice = login(ALICE)) {
            alice.command("CREATE Wildcards");
            alice.append("Wildcards", "", plain("w1", "taux 50% atteint"));
            alice.append("Wildcards", "", plain("w2", "taux 50 atteint, axb et a\\b"));
            alice.append("Wildcards", "", plain("w3", "fichier a_b.pdf"));
            alice.status("SELECT Wildcards");
            assertThat(search(alice, "UID SEARCH CHARSET UTF-8 TEXT", "zzsecretzz")).isEmpty();
            assertThat(search(alice, "UID SEARCH CHARSET UTF-8 BODY", "50%")).containsExactly(1L);
            assertThat(search(alice, "UID SEARCH CHARSET UTF-8 BODY", "%")).containsExactly(1L);
            assertThat(search(alice, "UID SEARCH CHARSET UTF-8 BODY", "a_b")).containsExactly(3L);
            assertThat(search(alice, "UID SEARCH CHARSET UTF-8 BODY", "a\\b")).containsExactly(2L);
            assertThat(search(alice, "UID SEARCH CHARSET UTF-8 BODY", "taux%atteint")).isEmpty();
        }
    }

    // --- the brute-force reference -----------------------------------------------------------------------------

    /** UIDs (1..n, appended in order) of the messages containing {@code term}, per RFC 3501, computed independently. */
    private static TreeSet<Long> reference(List<String> corpus, String scope, String term) throws IOException {
        TreeSet<Long> uids = new TreeSet<>();
        for (int i = 0; i < corpus.size(); i++) {
            Message message = new DefaultMessageBuilder().parseMessage(
                new ByteArrayInputStream(corpus.get(i).getBytes(StandardCharsets.ISO_8859_1)));
            List<String> haystacks = new ArrayList<>();
            if (scope.equals("TEXT")) {
                for (Field field : message.getHeader().getFields()) {
                    haystacks.add(field.getName() + ": "
                        + DecoderUtil.decodeEncodedWords(MimeUtil.unfold(field.getBody()), DecodeMonitor.SILENT));
                }
            }
            textParts(message.getBody(), haystacks);
            if (haystacks.stream().anyMatch(haystack -> containsIgnoringCase(haystack, term))) {
                uids.add(i + 1L);
            }
        }
        return uids;
    }

    private static void textParts(Body body, List<String> into) throws IOException {
        if (body instanceof Multipart multipart) {
            for (Entity part : multipart.getBodyParts()) {
                textParts(part.getBody(), into);
            }
        } else if (body instanceof Message nested) {
            textParts(nested.getBody(), into);
        } else if (body instanceof TextBody text && text.getParent().getMimeType().startsWith("text/")) {
            try (Reader reader = text.getReader()) {
                StringBuilder content = new StringBuilder();
                char[] buffer = new char[4096];
                for (int n; (n = reader.read(buffer)) > 0; ) {
                    content.append(buffer, 0, n);
                }
                into.add(content.toString());
            }
        }
    }

    private static boolean containsIgnoringCase(String haystack, String needle) {
        for (int i = 0; i + needle.length() <= haystack.length(); i++) {
            if (haystack.regionMatches(true, i, needle, 0, needle.length())) {
                return true;
            }
        }
        return false;
    }

    // --- the corpus ----------------------------------------------------------------------------------------------

    private static List<String> corpus(Random random, int size) {
        List<String> corpus = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            corpus.add(message(random, i));
        }
        return corpus;
    }

    private static String message(Random random, int number) {
        int kind = random.nextInt(6);
        List<String> words = kind == 2 ? LATIN1 : WORDS;
        String text = sentence(random, words) + "\r\n" + sentence(random, words);
        String subjectWord = sentence(random, WORDS).split(" ")[0];
        String subject = random.nextBoolean()
            ? "=?UTF-8?B?" + Base64.getEncoder().encodeToString(("Résultat " + subjectWord).getBytes(StandardCharsets.UTF_8)) + "?= " + number
            : "Message " + number;
        String head = "From: labo@" + DemoData.DOMAIN + "\r\nTo: " + ALICE + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n";
        return switch (kind) {
            case 0 -> head + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + utf8(text) + "\r\n";
            case 1 -> head + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\r\n";
            case 2 -> head + "Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + quotedPrintable(text.getBytes(StandardCharsets.ISO_8859_1)) + "\r\n";
            case 3 -> head + "Content-Type: multipart/alternative; boundary=alt\r\n\r\n--alt\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + quotedPrintable(text.getBytes(StandardCharsets.UTF_8)) + "\r\n--alt\r\n"
                + "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(("<p>" + sentence(random, WORDS) + "</p>").getBytes(StandardCharsets.UTF_8))
                + "\r\n--alt--\r\n";
            case 4 -> head + "Content-Type: multipart/mixed; boundary=mix\r\n\r\n--mix\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + utf8(text) + "\r\n--mix\r\n"
                + "Content-Type: application/pdf; name=cr.pdf\r\nContent-Disposition: attachment; filename=cr.pdf\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(("%PDF-1.4 secretpdfword " + sentence(random, WORDS))
                    .getBytes(StandardCharsets.UTF_8)) + "\r\n--mix--\r\n";
            default -> head + "Content-Type: message/rfc822\r\n\r\nSubject: transféré\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\r\n";
        };
    }

    private static String sentence(Random random, List<String> words) {
        StringBuilder sentence = new StringBuilder();
        int count = 2 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            sentence.append(i == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
        }
        return sentence.toString();
    }

    /** The message as ISO-8859-1 "characters" holding its UTF-8 bytes (the corpus is kept as bytes in strings). */
    private static String utf8(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Quoted-printable with short soft-broken lines, so that words are cut across lines. */
    private static String quotedPrintable(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int line = 0;
        for (byte b : bytes) {
            int c = b & 0xff;
            String encoded = (c >= 33 && c <= 126 && c != '=') || c == ' ' ? String.valueOf((char) c) : String.format("=%02X", c);
            if (c == '\r' || c == '\n') {
                encoded = c == '\n' ? "\r\n" : "";
                line = -encoded.length();
            }
            if (line + encoded.length() > 13) {
                out.append("=\r\n");
                line = 0;
            }
            out.append(encoded);
            line += encoded.length();
        }
        return out.toString();
    }

    private static String plain(String subject, String body) {
        return "From: labo@" + DemoData.DOMAIN + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + body + "\r\n";
    }

    // --- IMAP and SQL helpers --------------------------------------------------------------------------------------

    private static TreeSet<Long> search(ImapDialogue imap, String command, String term) throws IOException {
        return parse(imap.commandWithLiteral(command, term.getBytes(StandardCharsets.UTF_8)));
    }

    private static TreeSet<Long> parse(String reply) {
        assertThat(reply.lines().reduce((a, b) -> b).orElse("")).contains("OK");
        TreeSet<Long> uids = new TreeSet<>();
        Matcher matcher = Pattern.compile("^\\* SEARCH(.*)$", Pattern.MULTILINE).matcher(reply);
        while (matcher.find()) {
            Arrays.stream(matcher.group(1).trim().split(" ")).filter(s -> !s.isEmpty()).map(Long::parseLong).forEach(uids::add);
        }
        return uids;
    }

    private static TreeSet<Long> all(List<String> corpus) {
        TreeSet<Long> uids = new TreeSet<>();
        for (long uid = 1; uid <= corpus.size(); uid++) {
            uids.add(uid);
        }
        return uids;
    }

    private static TreeSet<Long> filter(TreeSet<Long> uids, Predicate<Long> keep) {
        TreeSet<Long> kept = new TreeSet<>();
        uids.stream().filter(keep).forEach(kept::add);
        return kept;
    }

    private static String subjectOf(List<String> corpus, long uid) {
        String message = corpus.get((int) uid - 1);
        int start = message.indexOf("Subject: ") + 9;
        String raw = message.substring(start, message.indexOf("\r\n", start));
        return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
    }

    private static long mailboxId(String name, String user) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                 "SELECT mailbox_id FROM james.james_mailbox WHERE mailbox_name = ? AND user_name = ?")) {
            statement.setString(1, name);
            statement.setString(2, user);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).as("mailbox " + name).isTrue();
                return rows.getLong(1);
            }
        }
    }

    private static long indexRows(String mailbox, String user) throws Exception {
        return count("SELECT count(*) FROM message_search_text WHERE mailbox_id = " + mailboxId(mailbox, user));
    }

    private static long count(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
