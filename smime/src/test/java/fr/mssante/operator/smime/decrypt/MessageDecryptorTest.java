package fr.mssante.operator.smime.decrypt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import fr.mssante.operator.smime.encrypt.ContentCipher;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.keystore.KeyStoreRepository;
import fr.mssante.operator.smime.testing.MapKeyStore;
import fr.mssante.operator.smime.testing.TestMessages;
import fr.mssante.operator.smime.testing.TestPki;

class MessageDecryptorTest {
    private static final TestPki PKI = TestPki.create("MSS Test Root");
    private static final TestPki.Issued BOB = PKI.issue("bob@b.mss.test");
    private static final TestPki.Issued CAROL = PKI.issue("carol@b.mss.test");
    private static final TestPki.Issued EC = PKI.issue("eve@b.mss.test", TestPki.NOW.minus(Duration.ofDays(1)),
            TestPki.NOW.plus(Duration.ofDays(30)), true, true);

    private final MapKeyStore keys = new MapKeyStore().put("bob@b.mss.test", BOB).put("eve@b.mss.test", EC);
    private final MessageDecryptor decryptor = new MessageDecryptor(keys);
    private final MessageEncryptor encryptor = new MessageEncryptor();

    private MimeMessage encrypted(MimeMessage message, EncryptOptions options, TestPki.Issued... recipients) {
        return TestMessages.roundTrip(encryptor.encrypt(message,
                java.util.Arrays.stream(recipients).map(TestPki.Issued::certificate).toList(), options).orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({"AES256_CBC,false,false", "AES256_GCM,false,true", "AES256_CBC,true,false", "AES256_GCM,true,true"})
    void decryptsWhatWeEncrypt(ContentCipher cipher, boolean oaep, boolean authenticated) throws Exception {
        MimeMessage message = encrypted(TestMessages.multipart("alice@a.mss.test", "bob@b.mss.test"),
                new EncryptOptions(cipher, oaep), CAROL, BOB);

        DecryptionResult result = decryptor.decrypt(message, "bob@b.mss.test");

        assertThat(result.status()).isEqualTo(DecryptionStatus.DECRYPTED);
        assertThat(result.owner()).contains("bob@b.mss.test");
        assertThat(result.authenticated()).isEqualTo(authenticated);
        MimeMessage clear = result.message().orElseThrow();
        assertThat(clear.getContentType()).startsWith("multipart/mixed");
        assertThat(clear.getHeader("Subject", null)).isEqualTo("multipart");
        assertThat(TestMessages.string(clear)).contains("see attached.").doesNotContain("pkcs7");
    }

    @Test
    void decryptsEcdhKeyAgreement() throws Exception {
        MimeMessage message = encrypted(TestMessages.text("a@a.mss.test", "eve@b.mss.test", "ecdh\r\n"), EncryptOptions.DEFAULT, EC);

        DecryptionResult result = decryptor.decrypt(message, "eve@b.mss.test");

        assertThat(result.status()).isEqualTo(DecryptionStatus.DECRYPTED);
        assertThat(result.message().orElseThrow().getContent()).isEqualTo("ecdh\r\n");
    }

    @Test
    void otherMailboxesKeysAreNotUsed() {
        MimeMessage message = encrypted(TestMessages.text("a@a.mss.test", "bob@b.mss.test", "x\r\n"), EncryptOptions.DEFAULT, BOB);

        assertThat(decryptor.decrypt(message, "eve@b.mss.test").status()).isEqualTo(DecryptionStatus.NO_KEY);
    }

    @Test
    void plainMessageIsNotEncrypted() {
        assertThat(decryptor.decrypt(TestMessages.text("a@a.mss.test", "b@b.mss.test", "x\r\n"), "bob@b.mss.test").status())
                .isEqualTo(DecryptionStatus.NOT_ENCRYPTED);
    }

    @Test
    void alteredGcmCiphertextFails() {
        String raw = TestMessages.string(encrypted(TestMessages.sized("a@a.mss.test", "bob@b.mss.test", 5000),
                new EncryptOptions(ContentCipher.AES256_GCM, false), BOB));
        int middle = raw.length() - 400;
        char flipped = raw.charAt(middle) == 'A' ? 'B' : 'A';
        String altered = raw.substring(0, middle) + flipped + raw.substring(middle + 1);

        DecryptionResult result = decryptor.decrypt(TestMessages.parse(altered), "bob@b.mss.test");

        assertThat(result.status()).isIn(DecryptionStatus.FAILED, DecryptionStatus.MALFORMED);
        assertThat(result.message()).isEmpty();
    }

    @Test
    void garbageIsMalformed() {
        MimeMessage message = TestMessages.parse("From: a@a.mss.test\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAxggEw\r\n");

        assertThat(decryptor.decrypt(message, "bob@b.mss.test").status()).isEqualTo(DecryptionStatus.MALFORMED);
    }

    @Test
    void keyStoreOutageIsATemporaryFailure() {
        MimeMessage message = encrypted(TestMessages.text("a@a.mss.test", "bob@b.mss.test", "x\r\n"), EncryptOptions.DEFAULT, BOB);
        MessageDecryptor broken = new MessageDecryptor(owner -> {
            throw new KeyStoreRepository.KeyStoreException("database down", null);
        });

        assertThat(broken.decrypt(message, "bob@b.mss.test").status()).isEqualTo(DecryptionStatus.TEMPORARY_FAILURE);
    }
}
