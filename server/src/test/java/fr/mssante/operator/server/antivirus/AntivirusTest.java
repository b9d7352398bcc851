package fr.mssante.operator.server.antivirus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.antivirus.ClamdScanner;
import fr.mssante.operator.documents.antivirus.VirusScanner;
import fr.mssante.operator.documents.testing.ClamdProcess;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * ClamAV in the pipeline with a real clamd: EICAR is quarantined and its sender told; with clamd stopped, accepted
 * mail waits (not delivered, not lost) and is delivered once clamd is back.
 */
class AntivirusTest {
    static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    static ClamdProcess clamd;
    static TestServer server;
    static MailClient client;

    @BeforeAll
    static void start() throws Exception {
        RequiredTools.require("clamd", "clamav-daemon");
        clamd = ClamdProcess.start(Files.createTempDirectory("clamd-"));
        server = TestServer.start(Files.createTempDirectory("mss-av-"), Map.of("mss.clamd.address", clamd.tcpAddress(),
            "mss.antivirus.retry", "PT2S"));
        client = new MailClient(server);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (clamd != null) {
            clamd.close();
        }
    }

    @Test
    void theScannerSpeaksInstream() throws Exception {
        ClamdScanner scanner = new ClamdScanner(clamd.tcpAddress());
        assertThat(scanner.scan(new java.io.ByteArrayInputStream("hello".getBytes()))).isEqualTo(new VirusScanner.Verdict.Clean());
        assertThat(scanner.scan(new java.io.ByteArrayInputStream(ClamdProcess.EICAR.getBytes(StandardCharsets.US_ASCII))))
            .isEqualTo(new VirusScanner.Verdict.Infected(ClamdProcess.SIGNATURE + ".UNOFFICIAL"));
        assertThat(new ClamdScanner("127.0.0.1:1").scan(new java.io.ByteArrayInputStream(new byte[1])))
            .isInstanceOf(VirusScanner.Verdict.Unavailable.class);
    }

    @Test
    void eicarIsQuarantinedAndTheSenderTold() throws Exception {
        int before = quarantined();
        MimeMessage message = infected("av-infected");
        client.submit(ALICE, message);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> quarantined() == before + 1);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> subjects(ALICE).stream()
            .anyMatch(subject -> subject.contains("av-infected")));
        assertThat(subjects(BRUNO)).noneMatch(subject -> subject.contains("av-infected"));
    }

    /**
     * S/MIME hides the content from the first scan: mail we decrypt for a mailbox whose key we hold is scanned
     * again once decrypted, before delivery.
     */
    @Test
    void eicarInsideEncryptedMailIsFoundOnceDecryptedForItsRecipient() throws Exception {
        String recipient = "claire.secretaire@" + DemoData.DOMAIN;
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair keys = generator.generateKeyPair();
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=" + recipient);
        java.security.cert.X509Certificate certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
            .getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name,
                java.math.BigInteger.valueOf(now.toEpochMilli()), java.util.Date.from(now.minus(Duration.ofHours(1))),
                java.util.Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        String masterKey = Files.readString(server.workingDirectory().resolve("var/dev/smime-master.key")).trim();
        new fr.mssante.operator.smime.keystore.KeyStoreRepository(server.runtime().database().dataSource(),
            fr.mssante.operator.smime.keystore.MasterKey.fromBase64(masterKey))
            .store(recipient, certificate, java.util.List.of(certificate), keys.getPrivate());
        MimeMessage clear = infected("av-sealed");
        clear.setRecipients(Message.RecipientType.TO, recipient);
        MimeMessage sealed = new fr.mssante.operator.smime.encrypt.MessageEncryptor()
            .encrypt(clear, java.util.List.of(certificate), fr.mssante.operator.smime.encrypt.EncryptOptions.DEFAULT)
            .orElseThrow();
        int before = quarantined();

        client.submit(ALICE, sealed);

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> quarantined() == before + 1);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> subjects(ALICE).stream()
            .anyMatch(subject -> subject.contains("av-sealed")));
        assertThat(subjects(recipient)).noneMatch(subject -> subject.contains("av-sealed"));
    }

    /**
     * The console's quarantine routes: envelope and headers only (never the body or the attachment), release (delivered
     * after all, audited with its Message-ID) and delete (gone, audited).
     */
    @Test
    void quarantineRoutesShowHeadersOnlyAndReleaseOrDelete() throws Exception {
        MimeMessage toRelease = infected("av-release");
        MimeMessage toDelete = infected("av-delete");
        client.submit(ALICE, toRelease);
        client.submit(ALICE, toDelete);
        String releaseId = toRelease.getMessageID();
        String deleteId = toDelete.getMessageID();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String body = webAdmin("GET", "/mss/quarantine").body();
            return body.contains(releaseId) && body.contains(deleteId);
        });
        HttpResponse<String> list = webAdmin("GET", "/mss/quarantine");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"headers\"").contains("Message-ID").contains(BRUNO)
            .contains(ClamdProcess.SIGNATURE).doesNotContain("EICAR").doesNotContain("Compte rendu").doesNotContain("resultat.pdf");
        String releaseKey = keyOf(list.body(), releaseId);
        String deleteKey = keyOf(list.body(), deleteId);
        assertThat(webAdmin("GET", "/mss/quarantine/" + enc(releaseKey)).body()).contains(releaseId).doesNotContain("EICAR");

        assertThat(webAdmin("POST", "/mss/quarantine/" + enc(releaseKey) + "/release").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> subjects(BRUNO).contains("av-release"));
        assertThat(webAdmin("GET", "/mss/quarantine/" + enc(releaseKey)).statusCode()).isEqualTo(404);

        assertThat(webAdmin("DELETE", "/mss/quarantine/" + enc(deleteKey)).statusCode()).isEqualTo(200);
        assertThat(webAdmin("GET", "/mss/quarantine/" + enc(deleteKey)).statusCode()).isEqualTo(404);
        assertThat(webAdmin("DELETE", "/mss/quarantine/" + enc(deleteKey)).statusCode()).isEqualTo(404);
        assertThat(webAdmin("GET", "/mss/quarantine").body()).doesNotContain(releaseId).doesNotContain(deleteId);
        assertThat(subjects(BRUNO)).doesNotContain("av-delete");

        var events = new fr.mssante.operator.extensions.audit.MessageEventLog(server.runtime().database().dataSource()).latest(200);
        assertThat(events).anyMatch(event -> event.event().equals("QUARANTINE_RELEASED")
            && event.messageId().orElse("").equals(releaseId));
        assertThat(events).anyMatch(event -> event.event().equals("QUARANTINE_DELETED")
            && event.messageId().orElse("").equals(deleteId));
        assertThat(webAdmin("GET", "/mss/audit/events?type=QUARANTINE_RELEASED&messageId=" + enc(releaseId)).body())
            .contains("\"actor\":\"webadmin:");

    }

    private static String keyOf(String json, String messageId) throws Exception {
        for (var node : new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)) {
            if (messageId.equals(node.path("messageId").asText())) {
                return node.path("key").asText();
            }
        }
        throw new AssertionError(messageId + " not in " + json);
    }

    private static String enc(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static HttpResponse<String> webAdmin(String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webAdminPort() + path))
            .header("Authorization", "Bearer " + server.webAdminToken())
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A message from Alice to Bruno with the EICAR test file as an attachment. */
    private static MimeMessage infected(String subject) throws Exception {
        MimeMessage message = client.newMessage(ALICE, BRUNO, subject, "see attachment");
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Compte rendu en pièce jointe", "UTF-8");
        MimeBodyPart attachment = new MimeBodyPart();
        attachment.setContent(ClamdProcess.EICAR.getBytes(StandardCharsets.US_ASCII), "application/octet-stream");
        attachment.setFileName("resultat.pdf");
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        multipart.addBodyPart(text);
        multipart.addBodyPart(attachment);
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }

    @Test
    void mailWaitsWhileClamdIsDownAndIsDeliveredWhenItReturns() throws Exception {
        clamd.stop();
        try {
            client.submit(ALICE, client.newMessage(ALICE, BRUNO, "av-waiting", "accepted with 250 while clamd is down"));
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                .until(() -> subjects(BRUNO).stream().noneMatch(subject -> subject.equals("av-waiting")));
        } finally {
            clamd.restart();
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> subjects(BRUNO).stream().filter(subject -> subject.equals("av-waiting")).count() == 1);
    }

    private static List<String> subjects(String user) throws Exception {
        List<String> subjects = new ArrayList<>();
        try (Store store = client.imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message message : inbox.getMessages()) {
                subjects.add(String.valueOf(message.getSubject()));
            }
            inbox.close(false);
        }
        return subjects;
    }

    private static int quarantined() throws Exception {
        String repository = URLEncoder.encode("var/mail/quarantine/", StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.webAdminPort() + "/mailRepositories/" + repository + "/mails"))
            .header("Authorization", "Bearer " + server.webAdminToken()).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? (int) response.body().chars().filter(c -> c == ',').count() + (response.body().equals("[]") ? 0 : 1) : 0;
    }
}
