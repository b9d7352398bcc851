package fr.mssante.operator.smime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.mail.BodyPart;
import javax.mail.internet.ContentType;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.smime.decrypt.DecryptionResult;
import fr.mssante.operator.smime.decrypt.DecryptionStatus;
import fr.mssante.operator.smime.decrypt.MessageDecryptor;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.mime.SmimeEntities;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.smime.testing.MapKeyStore;
import fr.mssante.operator.smime.testing.TestMessages;
import fr.mssante.operator.smime.testing.TestPki;
import fr.mssante.operator.smime.verify.OverallStatus;
import fr.mssante.operator.smime.verify.RevocationMode;
import fr.mssante.operator.smime.verify.SignatureVerifier;
import fr.mssante.operator.smime.verify.VerificationResult;
import fr.mssante.operator.testsupport.RequiredTools;

/**
 * Interop with GnuPG's gpgsm (libksba), a second S/MIME implementation: Debian packages {@code gpgsm} and
 * {@code openssl} (to build the PKCS#12 gpgsm imports). gpgsm holds alice's key; we hold bob's.
 */
class GpgsmInteropTest {
    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private static final String PASSPHRASE = "interop-test";

    @TempDir
    Path dir;
    private InteropPki pki;
    private Path home;
    private File passphrase;

    @BeforeAll
    static void tools() {
        RequiredTools.require("gpgsm");
        RequiredTools.require("openssl");
    }

    @BeforeEach
    void gnupgHome() throws Exception {
        pki = new InteropPki(dir);
        home = Files.createDirectory(dir.resolve("gnupg"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        passphrase = Files.writeString(dir.resolve("passphrase"), PASSPHRASE + "\n").toFile();
        byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(pki.pki.ca.getEncoded());
        Files.writeString(home.resolve("trustlist.txt"), HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha1) + " S relax\n");
        // the agent is started once, explicitly, before the first import: gpgsm's auto-start of the agent races with
        // the loopback passphrase exchange on a loaded machine ("decryption failed")
        Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
        ok(External.run(dir, Map.of("GNUPGHOME", home.toString()), List.of("gpgconf", "--launch", "gpg-agent")));
        ok(gpgsm(List.of("--import", "ca.pem")));
        ok(gpgsm(List.of("--import", "bob.pem")));
        // gpgsm 2.2 reads only legacy PKCS#12 encryption
        ok(External.run(dir, "openssl", "pkcs12", "-export", "-in", "alice.pem", "-inkey", "alice.key", "-out", "alice.p12",
                "-passout", "pass:" + PASSPHRASE, "-certpbe", "NONE", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1"));
        // the first import through a freshly auto-started gpg-agent occasionally fails its loopback passphrase
        // exchange ("decryption failed") on a loaded machine: it is a gpgsm/agent start-up race, not our code, so the
        // import is retried a couple of times before the test gives up
        External.Result imported = gpgsm(List.of("--import", "alice.p12"));
        for (int attempt = 1; attempt < 3 && imported.exitCode() != 0; attempt++) {
            imported = gpgsm(List.of("--import", "alice.p12"));
        }
        ok(imported);
    }

    @AfterEach
    void stopAgent() throws Exception {
        if (home != null) {
            External.run(dir, Map.of("GNUPGHOME", home.toString()), List.of("gpgconf", "--kill", "gpg-agent"));
        }
    }

    private External.Result gpgsm(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("gpgsm", "--batch", "--disable-crl-checks", "--pinentry-mode", "loopback",
                "--passphrase-fd", "0"));
        command.addAll(args);
        return External.run(dir, Map.of("GNUPGHOME", home.toString()), passphrase, command);
    }

    private static void ok(External.Result result) {
        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    @Test
    void ourSignatureIsVerifiedByGpgsm() throws Exception {
        MimeMessage message = TestMessages.sized("bob@b.mss.test", "alice@a.mss.test", 100 * 1024);
        MimeMessage signed = new MessageSigner(CLOCK).sign(message, pki.bob.entry("bob"), SignOptions.DEFAULT).orElseThrow();
        byte[] body = MimeEntities.readAll(signed.getRawInputStream());
        String boundary = new ContentType(signed.getContentType()).getParameter("boundary");
        Files.write(dir.resolve("content.txt"), MimeEntities.firstPart(body, boundary).orElseThrow());
        BodyPart signature = new MimeMultipart(new ByteArrayDataSource(body, signed.getContentType())).getBodyPart(1);
        Files.write(dir.resolve("sig.der"), MimeEntities.readAll(signature.getInputStream()));

        External.Result result = gpgsm(List.of("--verify", "sig.der", "content.txt"));

        ok(result);
        assertThat(result.stderr()).contains("Good signature");
    }

    @Test
    void gpgsmDetachedSignatureIsVerifiedByUs() throws Exception {
        MimeMessage message = TestMessages.multipart("alice@a.mss.test", "bob@b.mss.test");
        byte[] entity = MimeEntities.contentEntity(message);
        Files.write(dir.resolve("content.txt"), entity);
        ok(gpgsm(List.of("-u", "alice@a.mss.test", "--include-certs", "-1", "-o", "sig.der", "--detach-sign", "content.txt")));
        byte[] multipart = SmimeEntities.multipartSigned(entity, Files.readAllBytes(dir.resolve("sig.der")), "sha-256", "gpgsm-b");
        MimeMessage signed = TestMessages.roundTrip(MimeEntities.withEntity(message, multipart));

        VerificationResult result = verifier().verify(signed);

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
        assertThat(result.signers()).singleElement().satisfies(s -> assertThat(s.email()).contains("alice@a.mss.test"));
    }

    @Test
    void gpgsmOpaqueSignatureIsVerifiedByUs() throws Exception {
        MimeMessage message = TestMessages.text("alice@a.mss.test", "bob@b.mss.test", "opaque from gpgsm\r\n");
        Files.write(dir.resolve("content.txt"), MimeEntities.contentEntity(message));
        ok(gpgsm(List.of("-u", "alice@a.mss.test", "--include-certs", "-1", "-o", "signed.der", "--sign", "content.txt")));
        MimeMessage signed = TestMessages.roundTrip(MimeEntities.withEntity(message,
                SmimeEntities.pkcs7Mime("signed-data", Files.readAllBytes(dir.resolve("signed.der")))));

        VerificationResult result = verifier().verify(signed);

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
        assertThat(result.unwrapped().orElseThrow().getContent()).isEqualTo("opaque from gpgsm\r\n");
    }

    @Test
    void gpgsmEncryptionIsDecryptedByUs() throws Exception {
        MimeMessage message = TestMessages.sized("alice@a.mss.test", "bob@b.mss.test", 100 * 1024);
        byte[] entity = MimeEntities.contentEntity(message);
        Files.write(dir.resolve("content.txt"), entity);
        ok(gpgsm(List.of("-r", "bob@b.mss.test", "-o", "encrypted.der", "--encrypt", "content.txt")));
        MimeMessage encrypted = TestMessages.roundTrip(MimeEntities.withEntity(message,
                SmimeEntities.pkcs7Mime("enveloped-data", Files.readAllBytes(dir.resolve("encrypted.der")))));

        DecryptionResult result = new MessageDecryptor(new MapKeyStore().put("bob@b.mss.test", pki.bob))
                .decrypt(encrypted, "bob@b.mss.test");

        assertThat(result.status()).isEqualTo(DecryptionStatus.DECRYPTED);
        assertThat(MimeEntities.contentEntity(result.message().orElseThrow())).isEqualTo(entity);
    }

    @Test
    void ourEncryptionIsDecryptedByGpgsm() throws Exception {
        MimeMessage message = TestMessages.sized("bob@b.mss.test", "alice@a.mss.test", 100 * 1024);
        MimeMessage encrypted = new MessageEncryptor().encrypt(message, List.of(pki.alice.certificate()), EncryptOptions.DEFAULT)
                .orElseThrow();
        Files.write(dir.resolve("encrypted.der"), MimeEntities.readAll(encrypted.getInputStream()));

        ok(gpgsm(List.of("-o", "decrypted.txt", "--decrypt", "encrypted.der")));

        assertThat(Files.readAllBytes(dir.resolve("decrypted.txt"))).isEqualTo(MimeEntities.contentEntity(message));
        assertThat(new String(Files.readAllBytes(dir.resolve("decrypted.txt")), StandardCharsets.US_ASCII)).startsWith("Content-Type: text/plain");
    }

    private SignatureVerifier verifier() {
        return new SignatureVerifier(List.of(pki.pki.ca), fr.mssante.operator.smime.testing.Revocations.nothingRevoked(pki.pki), RevocationMode.BEST_EFFORT, CLOCK);
    }
}
