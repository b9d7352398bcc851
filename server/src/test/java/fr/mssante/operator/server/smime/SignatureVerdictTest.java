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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;
import fr.mssante.operator.smime.keystore.KeyEntry;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.testsupport.RequiredTools;
import fr.mssante.operator.trust.tls.PemKeyMaterial;

/**
 * S/MIME verdicts through the whole server: signed mail submitted by a professional reaches the recipient with an
 * {@code X-MSS-SMIME-Status} the server computed (good, or bad when tampered), never one the sender wrote; mail
 * signed by openssl is verified too.
 */
class SignatureVerdictTest {
    private static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    private static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;

    private static TestServer server;
    private static KeyEntry aliceKey;

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
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                ca, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=Alice MARTIN,O=Cabinet,C=FR"), keys.getPublic())
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, ALICE)))
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey)));
        aliceKey = new KeyEntry(ALICE, certificate, List.of(certificate, ca), keys.getPrivate());
    }

    @Test
    void aGoodSignatureIsReportedGoodAndAForgedVerdictIsReplaced() throws Exception {
        String subject = "signed-" + UUID.randomUUID();
        MimeMessage message = new MailClient(server).newMessage(ALICE, BRUNO, subject, "Compte rendu signe");
        message.setHeader("X-MSS-SMIME-Status", "forged-by-sender");
        message.saveChanges();
        MimeMessage signed = new MessageSigner(Clock.systemUTC()).sign(message, aliceKey, SignOptions.DEFAULT).orElseThrow();
        submitRaw(bytes(signed));
        assertThat(verdict(subject)).isEqualTo("good");
        // the good signer's certificate is kept for encrypting to her later
        assertThat(new fr.mssante.operator.smime.encrypt.CertificateRepository(server.runtime().database().dataSource())
            .certificatesFor(ALICE)).contains(aliceKey.certificate());
    }

    @Test
    void aTamperedSignedMessageIsReportedBad() throws Exception {
        String subject = "tampered-" + UUID.randomUUID();
        MimeMessage plain = new MailClient(server).newMessage(ALICE, BRUNO, subject, "Potassium 4.1 mmol/L");
        plain.saveChanges();
        MimeMessage signed = new MessageSigner(Clock.systemUTC()).sign(plain, aliceKey, SignOptions.DEFAULT).orElseThrow();
        String raw = new String(bytes(signed), StandardCharsets.UTF_8).replace("Potassium 4.1", "Potassium 9.1");
        submitRaw(raw.getBytes(StandardCharsets.UTF_8));
        assertThat(verdict(subject)).isEqualTo("bad");
    }

    @Test
    void mailSignedByOpensslIsVerified() throws Exception {
        RequiredTools.require("openssl");
        Path work = Files.createTempDirectory("mss-openssl-");
        Path cert = work.resolve("alice.pem");
        Path key = work.resolve("alice.key");
        Path ca = server.workingDirectory().resolve("var/dev/pki/ca.pem");
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(cert))) {
            writer.writeObject(aliceKey.certificate());
        }
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(key))) {
            writer.writeObject(aliceKey.privateKey());
        }
        String subject = "openssl-" + UUID.randomUUID();
        Path body = work.resolve("body.txt");
        Files.writeString(body, "Content-Type: text/plain; charset=us-ascii\r\n\r\nSigne par openssl\r\n");
        Path out = work.resolve("signed.eml");
        Process openssl = new ProcessBuilder("openssl", "smime", "-sign", "-in", body.toString(), "-out", out.toString(),
            "-signer", cert.toString(), "-inkey", key.toString(), "-certfile", ca.toString(),
            "-from", ALICE, "-to", BRUNO, "-subject", subject).redirectErrorStream(true).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
        submitRaw(Files.readAllBytes(out));
        assertThat(verdict(subject)).isEqualTo("good");
    }

    private static byte[] bytes(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /** The message bytes exactly as built (no client re-encoding), over submission with STARTTLS + AUTH. */
    private static void submitRaw(byte[] message) throws Exception {
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
            assertThat(smtp.authPlain(ALICE, server.password(ALICE))).startsWith("235");
            assertThat(smtp.command("MAIL FROM:<" + ALICE + ">")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<" + BRUNO + ">")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.raw(stuffed.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(smtp.command(".")).startsWith("250");
        }
    }

    private static String verdict(String subject) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (Store store = new MailClient(server).imap(BRUNO)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] found = inbox.search(new SubjectTerm(subject));
                String[] status = found.length == 0 ? null : found[0].getHeader("X-MSS-SMIME-Status");
                inbox.close(false);
                return status == null ? null : String.join(",", status);
            }
        }, value -> value != null);
    }
}
