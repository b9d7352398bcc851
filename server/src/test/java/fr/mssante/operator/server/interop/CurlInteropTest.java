package fr.mssante.operator.server.interop;

import static fr.mssante.operator.server.interop.InteropServer.ALICE;
import static fr.mssante.operator.server.interop.InteropServer.BRUNO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * curl (libcurl + OpenSSL) as a mail client: submission with STARTTLS ({@code smtp://} + {@code --ssl-reqd}) and with
 * implicit TLS ({@code smtps://}), then IMAP with STARTTLS and IMAPS to find, read and flag what was sent. curl checks
 * the server certificate against the development CA and the name {@code localhost}.
 */
class CurlInteropTest {
    private static TestServer server;
    private static Path curl;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        curl = RequiredTools.require("curl");
        server = InteropServer.get();
    }

    @Test
    void messagesSubmittedWithStartTlsAndImplicitTlsAreReadBackOverImapAndImaps() throws Exception {
        String token = "curl-" + UUID.randomUUID();
        String starttlsBody = "Compte rendu envoye par curl en STARTTLS " + token;
        String implicitBody = "Compte rendu envoye par curl en TLS implicite " + token;

        Command starttls = submit("smtp://localhost:" + server.port(ListeningPorts.SUBMISSION), true,
            message(token + " starttls", starttlsBody));
        assertThat(starttls.exitCode()).as(starttls.describe()).isZero();
        Command implicit = submit("smtps://localhost:" + server.port(ListeningPorts.SUBMISSIONS), false,
            message(token + " implicit", implicitBody));
        assertThat(implicit.exitCode()).as(implicit.describe()).isZero();

        // IMAP with STARTTLS: search, then read each message by UID
        String imap = "imap://localhost:" + server.port(ListeningPorts.IMAP) + "/INBOX";
        List<String> uids = await().atMost(Duration.ofSeconds(30)).until(() -> searchUids(imap, true, token), found -> found.size() == 2);
        List<String> bodies = new ArrayList<>();
        for (String uid : uids) {
            Command fetch = imap(imap + ";UID=" + uid, true);
            assertThat(fetch.exitCode()).as(fetch.describe()).isZero();
            bodies.add(fetch.stdout());
        }
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains("Subject: " + token + " starttls").contains(starttlsBody)
                .contains("From: " + ALICE).contains("with ESMTPSA "))
            .anySatisfy(body -> assertThat(body).contains("Subject: " + token + " implicit").contains(implicitBody));

        // reading a message with curl (FETCH BODY[]) marked it read; over IMAPS, flag one of them
        String imaps = "imaps://localhost:" + server.port(ListeningPorts.IMAPS) + "/INBOX";
        Command store = imap(imaps, false, "-X", "UID STORE " + uids.get(0) + " +FLAGS (\\Flagged)");
        assertThat(store.exitCode()).as(store.describe()).isZero();
        Command flags = imap(imaps, false, "-X", "UID FETCH " + uids.get(0) + "," + uids.get(1) + " (FLAGS)");
        assertThat(flagsOf(flags.stdout(), uids.get(0))).contains("\\Seen", "\\Flagged");
        assertThat(flagsOf(flags.stdout(), uids.get(1))).contains("\\Seen").doesNotContain("\\Flagged");
        assertThat(Mailboxes.withSubject(new MailClient(server), BRUNO, token))
            .anySatisfy(stored -> assertThat(stored.flags().contains(javax.mail.Flags.Flag.FLAGGED)).isTrue());
    }

    @Test
    void curlRefusesAServerItCannotVerifyAndNeverSendsThePasswordInClear() throws Exception {
        // another CA than the server's: curl must not go on
        Path otherCa = work.resolve("other-ca");
        fr.mssante.operator.trust.testpki.TestPki.generate().writeTo(otherCa);
        Command refused = Command.run(work, Map.of(), "", List.of(curl.toString(), "-sS", "--ssl-reqd",
            "--cacert", otherCa.resolve("trust-roots.pem").toString(), "--url", "imap://localhost:" + server.port(ListeningPorts.IMAP) + "/INBOX",
            "-X", "STATUS INBOX (MESSAGES)", "--user", BRUNO + ":" + server.password(BRUNO)));
        assertThat(refused.exitCode()).as(refused.describe()).isNotZero();
        assertThat(refused.stderr()).containsIgnoringCase("certificate");

        // plain IMAP without STARTTLS: the server offers LOGINDISABLED, curl cannot log in
        Command clear = Command.run(work, Map.of(), "", List.of(curl.toString(), "-sS",
            "--url", "imap://localhost:" + server.port(ListeningPorts.IMAP) + "/INBOX",
            "-X", "STATUS INBOX (MESSAGES)", "--user", BRUNO + ":" + server.password(BRUNO)));
        assertThat(clear.exitCode()).as(clear.describe()).isNotZero();
        assertThat(clear.stdout()).doesNotContain("MESSAGES");
    }

    /** The flags of the message with this UID in a FETCH (FLAGS) answer ({@code * n FETCH (FLAGS (...) UID u)}). */
    private static List<String> flagsOf(String fetch, String uid) {
        Matcher line = Pattern.compile("\\* \\d+ FETCH \\((?=.*UID " + uid + "\\b).*FLAGS \\(([^)]*)\\)").matcher(fetch);
        assertThat(line.find()).as("UID %s in %s", uid, fetch).isTrue();
        return List.of(line.group(1).split(" "));
    }

    private Command submit(String url, boolean starttls, String message) throws Exception {
        Path file = Files.createTempFile(work, "message-", ".eml");
        Files.writeString(file, message, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "--cacert", InteropServer.caFile(server).toString(),
            "--url", url, "--user", ALICE + ":" + server.password(ALICE), "--mail-from", ALICE, "--mail-rcpt", BRUNO,
            "-T", file.toString()));
        if (starttls) {
            command.add("--ssl-reqd");
        }
        return Command.run(work, Map.of(), "", command);
    }

    private List<String> searchUids(String url, boolean starttls, String token) throws Exception {
        Command search = imap(url, starttls, "-X", "UID SEARCH SUBJECT \"" + token + "\"");
        assertThat(search.exitCode()).as(search.describe()).isZero();
        List<String> uids = new ArrayList<>();
        Matcher line = Pattern.compile("\\* SEARCH([ 0-9]*)").matcher(search.stdout());
        if (line.find()) {
            for (String uid : line.group(1).trim().split(" +")) {
                if (!uid.isBlank()) {
                    uids.add(uid);
                }
            }
        }
        return uids;
    }

    private Command imap(String url, boolean starttls, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(curl.toString(), "-sS", "--cacert", InteropServer.caFile(server).toString(),
            "--url", url, "--user", BRUNO + ":" + server.password(BRUNO)));
        if (starttls) {
            command.add("--ssl-reqd");
        }
        command.addAll(List.of(extra));
        return Command.run(work, Map.of(), "", command);
    }

    private static String message(String subject, String body) {
        return "From: " + ALICE + "\r\nTo: " + BRUNO + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
            + "@demo.mss.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + body + "\r\n";
    }
}
