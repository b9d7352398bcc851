package fr.mssante.operator.smime.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import fr.mssante.operator.smime.decrypt.DecryptionResult;
import fr.mssante.operator.smime.decrypt.DecryptionStatus;
import fr.mssante.operator.smime.decrypt.MessageDecryptor;
import fr.mssante.operator.smime.encrypt.ContentCipher;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.smime.sign.SignatureScheme;
import fr.mssante.operator.smime.testing.MapKeyStore;
import fr.mssante.operator.smime.testing.TestMessages;
import fr.mssante.operator.smime.testing.TestPki;
import fr.mssante.operator.smime.verify.OverallStatus;
import fr.mssante.operator.smime.verify.RevocationMode;
import fr.mssante.operator.smime.verify.RevocationSource;
import fr.mssante.operator.smime.verify.SignatureVerifier;
import fr.mssante.operator.smime.verify.VerificationResult;
import fr.mssante.operator.testsupport.RequiredTools;

/** Interop with OpenSSL 3 ({@code openssl smime} and {@code openssl cms}), Debian package {@code openssl}. */
class OpensslInteropTest {
    private static final int KB100 = 100 * 1024;
    private static final int MB10 = 10 * 1024 * 1024;
    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;
    private InteropPki pki;
    private SignatureVerifier verifier;
    private MessageDecryptor decryptor;

    @BeforeAll
    static void openssl() {
        RequiredTools.require("openssl");
    }

    @BeforeEach
    void pki() throws Exception {
        pki = new InteropPki(dir);
        verifier = new SignatureVerifier(List.of(pki.pki.ca), fr.mssante.operator.smime.testing.Revocations.nothingRevoked(pki.pki), RevocationMode.BEST_EFFORT, CLOCK);
        decryptor = new MessageDecryptor(new MapKeyStore().put("bob@b.mss.test", pki.bob).put("eve@b.mss.test", pki.eve));
    }

    private Path write(String name, MimeMessage message) throws Exception {
        return Files.write(dir.resolve(name), TestMessages.bytes(message));
    }

    private Path content(int size) throws Exception {
        MimeMessage message = TestMessages.sized("alice@a.mss.test", "bob@b.mss.test", size);
        return Files.write(dir.resolve("content.txt"), MimeEntities.contentEntity(message));
    }

    private MimeMessage read(Path file) throws Exception {
        return MimeEntities.parse(Files.readAllBytes(file));
    }

    private static void ok(External.Result result) {
        assertThat(result.exitCode()).as(result.describe()).isZero();
    }

    // --- our signatures verified by openssl

    @ParameterizedTest(name = "{0} bytes, {1}")
    @CsvSource({"1000,smime,RSA_PKCS1_SHA256", "102400,smime,RSA_PKCS1_SHA256", "102400,cms,RSA_PSS_SHA256",
            "10485760,smime,RSA_PKCS1_SHA256"})
    void ourSignatureIsVerifiedByOpenssl(int size, String command, SignatureScheme scheme) throws Exception {
        MimeMessage message = TestMessages.sized("alice@a.mss.test", "bob@b.mss.test", size);
        MimeMessage signed = new MessageSigner(CLOCK).sign(message, pki.alice.entry("alice"), new SignOptions(scheme, true)).orElseThrow();
        write("signed.eml", signed);

        External.Result result = External.run(dir, "openssl", command, "-verify", "-in", "signed.eml", "-CAfile", "ca.pem",
                "-out", "verified.txt");

        ok(result);
        assertThat(result.stderr()).contains("Verification successful");
        assertThat(Files.readAllBytes(dir.resolve("verified.txt"))).isEqualTo(MimeEntities.contentEntity(message));
    }

    @Test
    void ourEcdsaSignatureIsVerifiedByOpensslCms() throws Exception {
        MimeMessage message = TestMessages.text("eve@b.mss.test", "alice@a.mss.test", "ecdsa\r\n");
        write("signed.eml", new MessageSigner(CLOCK).sign(message, pki.eve.entry("eve"), SignOptions.DEFAULT).orElseThrow());

        External.Result result = External.run(dir, "openssl", "cms", "-verify", "-in", "signed.eml", "-CAfile", "ca.pem",
                "-out", "verified.txt");

        ok(result);
        assertThat(Files.readAllBytes(dir.resolve("verified.txt"))).isEqualTo(MimeEntities.contentEntity(message));
        assertThat(verifier.verify(TestMessages.roundTrip(read(dir.resolve("signed.eml")))).status()).isEqualTo(OverallStatus.GOOD);
    }

    @Test
    void opensslDetectsOurTamperedSignature() throws Exception {
        MimeMessage signed = new MessageSigner(CLOCK).sign(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "Dose: 5 mg\r\n"),
                pki.alice.entry("alice"), SignOptions.DEFAULT).orElseThrow();
        Files.writeString(dir.resolve("signed.eml"), TestMessages.string(signed).replace("Dose: 5 mg", "Dose: 9 mg"));

        External.Result result = External.run(dir, "openssl", "smime", "-verify", "-in", "signed.eml", "-CAfile", "ca.pem");

        assertThat(result.exitCode()).isNotZero();
    }

    // --- openssl signatures verified by us

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1000, KB100, MB10})
    void opensslDetachedSignatureIsVerifiedByUs(int size) throws Exception {
        content(size);
        ok(External.run(dir, "openssl", "smime", "-sign", "-in", "content.txt", "-signer", "alice.pem", "-inkey", "alice.key",
                "-from", "alice@a.mss.test", "-to", "bob@b.mss.test", "-subject", "signed by openssl", "-out", "signed.eml"));

        VerificationResult result = verifier.verify(read(dir.resolve("signed.eml")));

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
        assertThat(result.signers()).singleElement().satisfies(s -> assertThat(s.email()).contains("alice@a.mss.test"));
    }

    @ParameterizedTest(name = "{0} -nodetach, {1} bytes")
    @CsvSource({"smime,1000", "cms,1000", "smime,102400", "cms,10485760"})
    void opensslOpaqueSignatureIsVerifiedAndUnwrappedByUs(String command, int size) throws Exception {
        byte[] entity = Files.readAllBytes(content(size));
        ok(External.run(dir, "openssl", command, "-sign", "-nodetach", "-in", "content.txt", "-signer", "alice.pem",
                "-inkey", "alice.key", "-from", "alice@a.mss.test", "-to", "bob@b.mss.test", "-subject", "opaque",
                "-out", "signed.eml"));
        MimeMessage message = read(dir.resolve("signed.eml"));
        assertThat(message.getContentType()).contains(command.equals("smime") ? "application/x-pkcs7-mime" : "application/pkcs7-mime");

        VerificationResult result = verifier.verify(message);

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
        assertThat(result.opaque()).isTrue();
        MimeMessage unwrapped = result.unwrapped().orElseThrow();
        assertThat(unwrapped.getHeader("Subject", null)).isEqualTo("opaque");
        assertThat(MimeEntities.contentEntity(unwrapped)).isEqualTo(entity);
    }

    @Test
    void opensslSignatureByAnUnknownCaIsBad() throws Exception {
        content(1000);
        ok(External.run(dir, "openssl", "smime", "-sign", "-in", "content.txt", "-signer", "alice.pem", "-inkey", "alice.key",
                "-from", "alice@a.mss.test", "-out", "signed.eml"));
        SignatureVerifier stranger = new SignatureVerifier(List.of(TestPki.create("Other").ca), RevocationSource.none(),
                RevocationMode.BEST_EFFORT, CLOCK);

        assertThat(stranger.verify(read(dir.resolve("signed.eml"))).status()).isEqualTo(OverallStatus.BAD);
    }

    // --- openssl encryption decrypted by us

    @ParameterizedTest(name = "{0} {1} to {2}, {3} bytes")
    @CsvSource({"smime,-aes256,bob,1000", "smime,-aes256,bob,10485760", "cms,-aes-256-gcm,bob,102400",
            "cms,-aes256,eve,1000", "cms,OAEP,bob,1000"})
    void opensslEncryptionIsDecryptedByUs(String command, String cipher, String recipient, int size) throws Exception {
        byte[] entity = Files.readAllBytes(content(size));
        List<String> args = new ArrayList<>(List.of("openssl", command, "-encrypt", "-in", "content.txt",
                "-from", "alice@a.mss.test", "-to", recipient + "@b.mss.test", "-subject", "encrypted", "-out", "encrypted.eml"));
        if (cipher.equals("OAEP")) {
            args.addAll(List.of("-aes256", "-recip", recipient + ".pem", "-keyopt", "rsa_padding_mode:oaep",
                    "-keyopt", "rsa_oaep_md:sha256"));
        } else {
            args.addAll(List.of(cipher, recipient + ".pem"));
        }
        ok(External.run(dir, java.util.Map.of(), args));

        DecryptionResult result = decryptor.decrypt(read(dir.resolve("encrypted.eml")), recipient + "@b.mss.test");

        assertThat(result.status()).isEqualTo(DecryptionStatus.DECRYPTED);
        MimeMessage clear = result.message().orElseThrow();
        assertThat(clear.getHeader("Subject", null)).isEqualTo("encrypted");
        assertThat(MimeEntities.contentEntity(clear)).isEqualTo(entity);
    }

    // --- our encryption decrypted by openssl

    @ParameterizedTest(name = "{0} {1} oaep={2} to {3}, {4} bytes")
    @CsvSource({"smime,AES256_CBC,false,bob,1000", "smime,AES256_CBC,false,bob,102400", "smime,AES256_CBC,false,bob,10485760",
            "cms,AES256_GCM,false,bob,102400", "cms,AES256_CBC,true,bob,1000", "cms,AES256_CBC,false,eve,1000"})
    void ourEncryptionIsDecryptedByOpenssl(String command, ContentCipher cipher, boolean oaep, String recipient, int size)
            throws Exception {
        MimeMessage message = TestMessages.sized("alice@a.mss.test", recipient + "@b.mss.test", size);
        TestPki.Issued to = recipient.equals("eve") ? pki.eve : pki.bob;
        write("encrypted.eml", new MessageEncryptor().encrypt(message, List.of(to.certificate()),
                new EncryptOptions(cipher, oaep)).orElseThrow());

        ok(External.run(dir, "openssl", command, "-decrypt", "-in", "encrypted.eml", "-recip", recipient + ".pem",
                "-inkey", recipient + ".key", "-out", "decrypted.txt"));

        assertThat(Files.readAllBytes(dir.resolve("decrypted.txt"))).isEqualTo(MimeEntities.contentEntity(message));
    }

    @Test
    void opensslSmimeCannotReadGcmWhichIsWhyCbcIsTheDefault() throws Exception {
        MimeMessage message = TestMessages.text("alice@a.mss.test", "bob@b.mss.test", "gcm\r\n");
        write("encrypted.eml", new MessageEncryptor().encrypt(message, List.of(pki.bob.certificate()),
                new EncryptOptions(ContentCipher.AES256_GCM, false)).orElseThrow());

        External.Result result = External.run(dir, "openssl", "smime", "-decrypt", "-in", "encrypted.eml", "-recip", "bob.pem",
                "-inkey", "bob.key");

        assertThat(result.exitCode()).isNotZero();
        assertThat(EncryptOptions.DEFAULT.cipher()).isEqualTo(ContentCipher.AES256_CBC);
        assertThat(new String(result.stdout(), StandardCharsets.US_ASCII)).doesNotContain("gcm");
    }
}
