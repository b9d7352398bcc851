package fr.mssante.operator.server.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.search.SubjectTerm;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.apache.james.core.Username;
import org.apache.james.core.quota.QuotaCountLimit;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.QuotaRoot;
import org.apache.james.modules.QuotaProbesImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.keystore.KeyEntry;
import fr.mssante.operator.smime.keystore.KeyStoreRepository;
import fr.mssante.operator.smime.keystore.MasterKey;
import fr.mssante.operator.trust.tls.PemKeyMaterial;

/**
 * Issue 12 #1: S/MIME mail is decrypted per recipient, only with that recipient's own key. Mail encrypted for alice
 * and sent to alice and bruno (whose key the server also holds) gives alice the plaintext and bruno the enveloped
 * message exactly as sent; mail encrypted for both gives each a copy decrypted with their own key.
 */
class PerRecipientDecryptionTest {
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    private static final String SENDER = "claire.secretaire@" + DemoData.DOMAIN;
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis() * 1000);

    private static TestServer server;
    private static KeyEntry aliceKey;
    private static KeyEntry brunoKey;
    /** A mailbox this test fills up (its quota is set to zero messages, then lifted). */
    private static final String FULL = "secretariat.cabinet-sante@" + DemoData.DOMAIN;
    private static KeyEntry fullKey;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.shared();
        Path pki = server.workingDirectory().resolve("var/dev/pki");
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(pki.resolve("ca.pem"))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        PrivateKey caKey;
        try (InputStream in = Files.newInputStream(pki.resolve("ca-key.pem"))) {
            caKey = PemKeyMaterial.privateKey(in);
        }
        aliceKey = issue(ALICE, ca, caKey);
        brunoKey = issue(BRUNO, ca, caKey);
        fullKey = issue(FULL, ca, caKey);
        String masterKey = Files.readString(server.workingDirectory().resolve("var/dev/smime-master.key")).trim();
        KeyStoreRepository keys = new KeyStoreRepository(server.runtime().database().dataSource(), MasterKey.fromBase64(masterKey));
        for (KeyEntry key : List.of(aliceKey, brunoKey, fullKey)) {
            keys.store(key.owner(), key.certificate(), key.chain(), key.privateKey());
        }
    }

    @Test
    void mailEncryptedForAliceOnlyIsDecryptedForAliceAndReachesBrunoExactlyAsSent() throws Exception {
        String subject = "for-alice-" + UUID.randomUUID();
        String secret = "Diagnostic confidentiel " + UUID.randomUUID();
        MimeMessage encrypted = encrypt(message(subject, secret), aliceKey);
        byte[] sentBody = body(encrypted);
        submitRaw(bytes(encrypted), List.of(ALICE, BRUNO));

        MimeMessage atAlice = delivered(ALICE, subject);
        assertThat(atAlice.getHeader("X-MSS-SMIME-Decryption")).containsExactly("decrypted");
        assertThat(rawText(atAlice)).contains(secret).doesNotContain("application/pkcs7-mime");

        MimeMessage atBruno = delivered(BRUNO, subject);
        assertThat(atBruno.getContentType()).startsWith("application/pkcs7-mime");
        assertThat(atBruno.getHeader("X-MSS-SMIME-Decryption")).containsExactly("no-key");
        assertThat(rawText(atBruno)).doesNotContain(secret);
        assertThat(body(atBruno)).as("bruno's copy is the enveloped message as sent").isEqualTo(sentBody);
        assertThat(atBruno.getInputStream().readAllBytes()).isEqualTo(encrypted.getInputStream().readAllBytes());

        // the decryption is audited for alice alone
        List<MessageEvent> decrypted = decryptedEvents(1, atAlice, atBruno);
        assertThat(decrypted).extracting(MessageEvent::recipients).containsExactly(List.of(ALICE));
    }

    @Test
    void mailEncryptedForBothIsDecryptedForEachWithTheirOwnKey() throws Exception {
        String subject = "for-both-" + UUID.randomUUID();
        String secret = "Compte rendu partage " + UUID.randomUUID();
        MimeMessage encrypted = encrypt(message(subject, secret), aliceKey, brunoKey);
        submitRaw(bytes(encrypted), List.of(ALICE, BRUNO));

        MimeMessage atAlice = delivered(ALICE, subject);
        MimeMessage atBruno = delivered(BRUNO, subject);
        for (MimeMessage copy : List.of(atAlice, atBruno)) {
            assertThat(copy.getHeader("X-MSS-SMIME-Decryption")).containsExactly("decrypted");
            assertThat(rawText(copy)).contains(secret);
        }
        // one decryption per recipient, each for that recipient alone
        List<MessageEvent> decrypted = decryptedEvents(2, atAlice, atBruno);
        assertThat(decrypted).extracting(MessageEvent::recipients)
            .containsExactlyInAnyOrder(List.of(ALICE), List.of(BRUNO));
    }

    /**
     * What we decrypted for a recipient never goes back to the sender: a decrypted copy whose delivery fails (here the
     * mailbox is over quota) is bounced to the sender without the content.
     */
    @Test
    void aBounceOfADecryptedCopyNeverCarriesThePlaintext() throws Exception {
        QuotaProbesImpl quotas = server.runtime().server().getProbe(QuotaProbesImpl.class);
        QuotaRoot root = quotas.getQuotaRoot(MailboxPath.inbox(Username.of(FULL)));
        String subject = "over-quota-" + UUID.randomUUID();
        String secret = "Serologie confidentielle " + UUID.randomUUID();
        quotas.setMaxMessageCount(root, QuotaCountLimit.count(0));
        try {
            MimeMessage message = new MailClient(server).newMessage(SENDER, FULL, subject, secret);
            message.saveChanges();
            submitRaw(bytes(encrypt(message, fullKey)), List.of(FULL));

            String bounce = await().atMost(Duration.ofSeconds(60)).until(() -> inboxTexts(SENDER).stream()
                .filter(text -> text.contains(subject)).findFirst().orElse(null),
                text -> text != null);
            assertThat(bounce).doesNotContain(secret);
        } finally {
            quotas.setMaxMessageCount(root, QuotaCountLimit.unlimited());
        }
    }

    private static List<String> inboxTexts(String user) throws Exception {
        try (Store store = new MailClient(server).imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                List<String> texts = new java.util.ArrayList<>();
                for (Message message : inbox.getMessages()) {
                    texts.add(rawText(new MimeMessage((MimeMessage) message)));
                }
                return texts;
            } finally {
                inbox.close(false);
            }
        }
    }

    /** The DECRYPTED audit rows of these delivered messages (by Message-ID), once {@code expected} are there. */
    private static List<MessageEvent> decryptedEvents(int expected, MimeMessage... delivered) throws Exception {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (MimeMessage message : delivered) {
            ids.add(message.getMessageID());
        }
        return await().atMost(Duration.ofSeconds(20)).until(() -> new MessageEventLog(server.runtime().database().dataSource())
            .latest(500).stream()
            .filter(e -> e.event().equals("DECRYPTED") && e.messageId().filter(ids::contains).isPresent())
            .toList(), events -> events.size() >= expected);
    }

    private static MimeMessage message(String subject, String text) throws Exception {
        MimeMessage message = new MailClient(server).newMessage(SENDER, ALICE, subject, text);
        message.setRecipients(Message.RecipientType.TO, new InternetAddress[] {new InternetAddress(ALICE), new InternetAddress(BRUNO)});
        message.saveChanges();
        return message;
    }

    private static MimeMessage encrypt(MimeMessage message, KeyEntry... recipients) {
        MimeMessage encrypted = new MessageEncryptor().encrypt(message,
            java.util.Arrays.stream(recipients).map(KeyEntry::certificate).toList(), EncryptOptions.DEFAULT).orElseThrow();
        try {
            encrypted.saveChanges();
        } catch (javax.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
        return encrypted;
    }

    private static KeyEntry issue(String address, X509Certificate ca, PrivateKey caKey) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                ca, BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + address + ",O=Cabinet,C=FR"), keys.getPublic())
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)))
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey)));
        return new KeyEntry(address, certificate, List.of(certificate, ca), keys.getPrivate());
    }

    private static MimeMessage delivered(String user, String subject) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Store store = new MailClient(server).imap(user)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                try {
                    Message[] found = inbox.search(new SubjectTerm(subject));
                    return found.length == 0 ? null : new MimeMessage((MimeMessage) found[0]);
                } finally {
                    inbox.close(false);
                }
            }
        }, message -> message != null);
    }

    private static byte[] bytes(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private static String rawText(MimeMessage message) throws Exception {
        return new String(bytes(message), StandardCharsets.UTF_8);
    }

    /** The body as transmitted (transfer-encoded), line endings normalised. */
    private static byte[] body(MimeMessage message) throws Exception {
        try (InputStream in = message.getRawInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).replace("\r\n", "\n").strip()
                .getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** The message bytes exactly as built, over submission with STARTTLS + AUTH, to every recipient given. */
    private static void submitRaw(byte[] message, List<String> recipients) throws Exception {
        String text = new String(message, StandardCharsets.UTF_8).replaceAll("(?<!\r)\n", "\r\n");
        StringBuilder stuffed = new StringBuilder();
        for (String line : text.split("\r\n", -1)) {
            stuffed.append(line.startsWith(".") ? "." + line : line).append("\r\n");
        }
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port(ListeningPorts.SUBMISSION))) {
            smtp.reply();
            smtp.command("EHLO client.test");
            smtp.startTls(server.clientTls());
            smtp.command("EHLO client.test");
            assertThat(smtp.authPlain(SENDER, server.password(SENDER))).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + SENDER + ">")).startsWith("250");
            for (String recipient : recipients) {
                assertThat(smtp.command("RCPT TO:<" + recipient + ">")).startsWith("250");
            }
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.raw(stuffed.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(smtp.command(".")).startsWith("250");
        }
    }
}
