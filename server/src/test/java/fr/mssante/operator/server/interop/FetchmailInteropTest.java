package fr.mssante.operator.server.interop;

import static fr.mssante.operator.server.interop.InteropServer.ALICE;
import static fr.mssante.operator.server.interop.InteropServer.PRACTICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * fetchmail over IMAPS (implicit TLS, certificate and host name checked against the development CA only:
 * {@code sslcertck}, an empty {@code sslcertpath}), each message handed to an MDA that writes it to a file. fetchmail
 * then marks what it fetched \Deleted and expunges it: the server's INBOX must be empty afterwards, and a second poll
 * must find nothing (fetchmail's exit status 1).
 */
class FetchmailInteropTest {
    private static TestServer server;
    private static Path fetchmail;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        fetchmail = RequiredTools.require("fetchmail");
        server = InteropServer.get();
    }

    @Test
    void fetchmailDownloadsEveryMessageIntactOverImapsAndRemovesItFromTheServer() throws Exception {
        String token = "fetchmail-" + UUID.randomUUID();
        byte[] attachment = new byte[3000];
        new java.util.Random(42).nextBytes(attachment);
        MailClient javaMail = new MailClient(server);
        MimeMessage text = javaMail.newMessage(ALICE, PRACTICE, token + " texte", "Ordonnance pour le cabinet " + token);
        javaMail.submit(ALICE, text);
        javaMail.submit(ALICE, withAttachment(javaMail, token + " piece jointe", attachment));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
            .until(() -> Mailboxes.withSubject(javaMail, PRACTICE, token), found -> found.size() == 2);

        Path home = Files.createDirectories(work.resolve("home"));
        Path drop = Files.createDirectories(work.resolve("drop"));
        Path rc = home.resolve("fetchmailrc");
        Files.writeString(rc, String.join("\n",
            "set no syslog",
            "poll localhost service " + server.port(ListeningPorts.IMAPS) + " protocol IMAP auth password",
            "  user \"" + PRACTICE + "\" there with password \"" + server.password(PRACTICE) + "\" is \""
                + System.getProperty("user.name") + "\" here",
            "  ssl sslproto 'TLS1.2+' sslcertck sslcertfile \"" + InteropServer.caFile(server) + "\" sslcertpath \""
                + Files.createDirectories(home.resolve("no-system-cas")) + "\"",
            "  folder INBOX",
            "  mda \"/bin/sh -c 'cat > " + drop + "/message-$$.eml'\"",
            ""), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        Map<String, String> environment = Map.of("HOME", home.toString(), "FETCHMAILHOME", home.toString());

        Command poll = Command.run(work, environment, "", List.of(fetchmail.toString(), "-f", rc.toString(), "--nodetach", "-v"));
        assertThat(poll.exitCode()).as(poll.describe()).isZero();
        assertThat(poll.stdout() + poll.stderr()).containsPattern("SSL/TLS: using protocol TLSv1\\.[23]")
            .contains("OK LOGIN completed").doesNotContain("certificate verification error");

        List<String> fetched = new ArrayList<>();
        try (Stream<Path> files = Files.list(drop)) {
            for (Path file : files.toList()) {
                fetched.add(Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(fetched).hasSize(2);
        assertThat(fetched).anySatisfy(message -> assertThat(message).contains("Subject: " + token + " texte")
            .contains("Ordonnance pour le cabinet " + token).contains("Delivered-To: " + PRACTICE));
        assertThat(fetched).anySatisfy(message -> {
            assertThat(message).contains("Subject: " + token + " piece jointe");
            MimeMessage parsed = new MimeMessage(null, new java.io.ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
            javax.mail.Multipart parts = (javax.mail.Multipart) parsed.getContent();
            assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).isEqualTo(attachment);
        });

        // fetched means removed from the server
        assertThat(Mailboxes.withSubject(javaMail, PRACTICE, token)).isEmpty();
        Command again = Command.run(work, environment, "", List.of(fetchmail.toString(), "-f", rc.toString(), "--nodetach"));
        assertThat(again.exitCode()).as("1 = no mail: " + again.describe()).isEqualTo(1);
    }

    private static MimeMessage withAttachment(MailClient client, String subject, byte[] bytes) throws Exception {
        MimeMessage message = client.newMessage(ALICE, PRACTICE, subject, "");
        javax.mail.internet.MimeMultipart multipart = new javax.mail.internet.MimeMultipart();
        javax.mail.internet.MimeBodyPart text = new javax.mail.internet.MimeBodyPart();
        text.setText("Voir la piece jointe.", "UTF-8");
        javax.mail.internet.MimeBodyPart file = new javax.mail.internet.MimeBodyPart();
        file.setDataHandler(new javax.activation.DataHandler(new javax.mail.util.ByteArrayDataSource(bytes, "application/octet-stream")));
        file.setFileName("resultat.bin");
        file.setHeader("Content-Transfer-Encoding", "base64");
        multipart.addBodyPart(text);
        multipart.addBodyPart(file);
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }
}
