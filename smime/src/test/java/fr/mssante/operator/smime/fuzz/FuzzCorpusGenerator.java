package fr.mssante.operator.smime.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import javax.mail.internet.MimeMessage;

import fr.mssante.operator.smime.encrypt.ContentCipher;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.smime.testing.CmsFixtures;
import fr.mssante.operator.smime.testing.TestMessages;
import fr.mssante.operator.smime.testing.TestPki;

/**
 * Writes the seed corpus: valid structures and broken variants (truncated CMS, flipped bytes, random bytes, broken
 * MIME). The certificates inside are throwaway public test certificates; no private key is written.
 * Run: {@code java -cp <test classpath> fr.mssante.operator.smime.fuzz.FuzzCorpusGenerator src/test/resources/fr/mssante/operator/smime/fuzz/SmimeFuzzTestInputs}
 */
public final class FuzzCorpusGenerator {
    private FuzzCorpusGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]));
        TestPki pki = TestPki.create("Corpus Root");
        TestPki.Issued alice = pki.issue("alice@a.mss.test");
        Clock clock = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
        MimeMessage text = TestMessages.text("alice@a.mss.test", "bob@b.mss.test", "corpus\r\n");

        byte[] detached = TestMessages.bytes(new MessageSigner(clock).sign(text, alice.entry("a"), SignOptions.DEFAULT).orElseThrow());
        byte[] opaque = TestMessages.bytes(CmsFixtures.opaque(text, "application/x-pkcs7-mime", alice));
        byte[] enveloped = TestMessages.bytes(new MessageEncryptor().encrypt(text, List.of(alice.certificate()),
                EncryptOptions.DEFAULT).orElseThrow());
        byte[] authEnveloped = TestMessages.bytes(new MessageEncryptor().encrypt(text, List.of(alice.certificate()),
                new EncryptOptions(ContentCipher.AES256_GCM, false)).orElseThrow());
        byte[] signedDer = CmsFixtures.signedData(MimeEntities.contentEntity(text), true, alice);
        byte[] envelopedDer = MimeEntities.readAll(MimeEntities.parse(enveloped).getInputStream());

        write(out, "valid-detached.eml", detached);
        write(out, "valid-opaque.eml", opaque);
        write(out, "valid-enveloped.eml", enveloped);
        write(out, "valid-authenveloped.eml", authEnveloped);
        write(out, "valid-signed.der", signedDer);
        write(out, "valid-enveloped.der", envelopedDer);
        for (int fraction : new int[] {10, 33, 50, 75, 95}) {
            write(out, "truncated-signed-" + fraction + ".der", Arrays.copyOf(signedDer, signedDer.length * fraction / 100));
            write(out, "truncated-enveloped-" + fraction + ".der", Arrays.copyOf(envelopedDer, envelopedDer.length * fraction / 100));
            write(out, "truncated-detached-" + fraction + ".eml", Arrays.copyOf(detached, detached.length * fraction / 100));
            write(out, "truncated-opaque-" + fraction + ".eml", Arrays.copyOf(opaque, opaque.length * fraction / 100));
        }
        Random random = new Random(20261123);
        for (int i = 0; i < 6; i++) {
            byte[] flipped = signedDer.clone();
            for (int j = 0; j < 4; j++) {
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
            }
            write(out, "flipped-signed-" + i + ".der", flipped);
            byte[] noise = new byte[64 + random.nextInt(2000)];
            random.nextBytes(noise);
            write(out, "random-" + i + ".bin", noise);
        }
        // a BIT STRING with 8 pad bits inside a SEQUENCE (BouncyCastle used to throw IllegalStateException)
        write(out, "pad-bits.der", new byte[] {0x30, 0x06, 0x03, 0x02, 0x08, 0x00, 0x05, 0x00});
        write(out, "length-overflow.der", new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x02, 0x01, 0x01});
        write(out, "empty.eml", new byte[0]);
        text(out, "signed-no-boundary.eml", "From: a@a.mss.test\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"\r\n\r\nx\r\n");
        text(out, "signed-unclosed.eml", "From: a@a.mss.test\r\nContent-Type: multipart/signed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqG\r\n");
        text(out, "signed-three-parts.eml", "From: a@a.mss.test\r\nContent-Type: multipart/signed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b\r\n\r\ny\r\n--b\r\n\r\nz\r\n--b--\r\n");
        text(out, "pkcs7-bad-base64.eml", "From: a@a.mss.test\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\n%%%%****====\r\n");
        text(out, "pkcs7-unknown-type.eml", "From: a@a.mss.test\r\nContent-Type: application/x-pkcs7-mime; smime-type=certs-only\r\nContent-Transfer-Encoding: base64\r\n\r\nMAA=\r\n");
        text(out, "bad-content-type.eml", "From: \"unterminated\r\nContent-Type: multipart/signed; boundary=\"\r\n\r\n--\r\n");
        StringBuilder nested = new StringBuilder("From: a@a.mss.test\r\nContent-Type: multipart/mixed; boundary=n0\r\n\r\n");
        for (int i = 1; i < 300; i++) {
            nested.append("--n").append(i - 1).append("\r\nContent-Type: multipart/mixed; boundary=n").append(i).append("\r\n\r\n");
        }
        text(out, "nested-300.eml", nested.toString());
    }

    private static void write(Path dir, String name, byte[] data) throws Exception {
        Files.write(dir.resolve(name), data);
    }

    private static void text(Path dir, String name, String data) throws Exception {
        write(dir, name, data.getBytes(StandardCharsets.ISO_8859_1));
    }
}
