package fr.mssante.operator.server.interop;

import static fr.mssante.operator.server.interop.InteropServer.ALICE;
import static fr.mssante.operator.server.interop.InteropServer.CLAIRE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.mail.Flags;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * Mutt (GnuTLS) in batch mode: Alice sends through submission with STARTTLS ({@code smtp_url}, {@code ssl_force_tls});
 * Claire reads over IMAP with STARTTLS. Mutt's index needs a terminal, so the reading session runs under
 * {@code script} (a pseudo-terminal) with pushed keys: limit to the message, pipe it to a file, mark it read, flag it,
 * sync, quit. The server must then hold the text Mutt sent (UTF-8, 8bit) and the flags Mutt set.
 */
class MuttInteropTest {
    private static TestServer server;
    private static Path mutt;
    private static Path script;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        mutt = RequiredTools.require("mutt");
        script = RequiredTools.require("script", "util-linux");
        server = InteropServer.get();
    }

    @Test
    void aMessageSentByMuttIsReadByMuttOverImapWhichStoresItsFlags() throws Exception {
        String token = "mutt-" + UUID.randomUUID();
        String body = "Résultat de kaliémie 4,2 mmol/L — envoyé par Mutt " + token;
        Path ca = InteropServer.caFile(server);

        Path sendRc = work.resolve("send.muttrc");
        Files.writeString(sendRc, String.join("\n",
            "set smtp_url=\"smtp://" + ALICE.replace("@", "%40") + "@localhost:" + server.port(ListeningPorts.SUBMISSION) + "/\"",
            "set smtp_pass=\"" + server.password(ALICE) + "\"",
            "set ssl_starttls=yes",
            "set ssl_force_tls=yes",
            "set ssl_ca_certificates_file=\"" + ca + "\"",
            "set certificate_file=\"" + work.resolve("certificates") + "\"",
            "set from=\"" + ALICE + "\"",
            "set realname=\"Alice Martin\"",
            "set use_from=yes",
            "set record=\"\"",
            "set send_charset=\"utf-8\"",
            ""), StandardCharsets.UTF_8);
        Command send = Command.run(work, Map.of("HOME", work.toString(), "LANG", "C.UTF-8"), body + "\n",
            List.of(mutt.toString(), "-n", "-F", sendRc.toString(), "-s", token, "--", CLAIRE));
        assertThat(send.exitCode()).as(send.describe()).isZero();

        MailClient javaMail = new MailClient(server);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> Mailboxes.withSubject(javaMail, CLAIRE, token), found -> found.size() == 1);

        Path readRc = work.resolve("read.muttrc");
        Files.writeString(readRc, String.join("\n",
            "set folder=\"imap://localhost:" + server.port(ListeningPorts.IMAP) + "/\"",
            "set spoolfile=\"+INBOX\"",
            "set imap_user=\"" + CLAIRE + "\"",
            "set imap_pass=\"" + server.password(CLAIRE) + "\"",
            "set ssl_starttls=yes",
            "set ssl_force_tls=yes",
            "set ssl_ca_certificates_file=\"" + ca + "\"",
            "set certificate_file=\"" + work.resolve("certificates") + "\"",
            "set mail_check=0",
            "set move=no",
            "set wait_key=no",
            "set quit=yes",
            "set header_cache=\"\"",
            "set message_cachedir=\"\"",
            ""), StandardCharsets.UTF_8);
        Path piped = work.resolve("piped.eml");
        String keys = "<limit>~s " + token + "<enter><first-entry><pipe-message>cat > " + piped + "<enter>"
            + "<clear-flag>N<flag-message><sync-mailbox><quit>";
        String muttCommand = mutt + " -n -F " + readRc + " -e 'push \"" + keys + "\"'";
        Command read = Command.run(work, Map.of("HOME", work.toString(), "TERM", "vt100", "LANG", "C.UTF-8"), "",
            List.of(script.toString(), "-qec", muttCommand, "/dev/null"));
        assertThat(read.exitCode()).as(read.describe()).isZero();

        // what Mutt read over IMAP is what Mutt sent
        assertThat(Files.readString(piped, StandardCharsets.UTF_8)).contains("Subject: " + token)
            .contains("From: Alice Martin <" + ALICE + ">").contains("Content-Type: text/plain; charset=utf-8")
            .contains(body);
        // and the server kept the flags Mutt set: read (\Seen) and important (\Flagged)
        List<Mailboxes.Stored> stored = Mailboxes.withSubject(javaMail, CLAIRE, token);
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).flags().contains(Flags.Flag.SEEN)).isTrue();
        assertThat(stored.get(0).flags().contains(Flags.Flag.FLAGGED)).isTrue();
        assertThat(stored.get(0).raw()).contains(body);
    }
}
