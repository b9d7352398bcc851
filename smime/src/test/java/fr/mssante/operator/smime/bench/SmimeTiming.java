package fr.mssante.operator.smime.bench;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import javax.mail.internet.MimeMessage;

import fr.mssante.operator.smime.decrypt.DecryptionStatus;
import fr.mssante.operator.smime.decrypt.MessageDecryptor;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.smime.testing.MapKeyStore;
import fr.mssante.operator.smime.testing.TestMessages;
import fr.mssante.operator.smime.testing.TestPki;
import fr.mssante.operator.smime.verify.OverallStatus;
import fr.mssante.operator.smime.verify.RevocationMode;
import fr.mssante.operator.smime.verify.SignatureVerifier;

/**
 * Rough wall-clock ms/op for sign/verify/encrypt/decrypt of a 100 KB message (RSA-2048, SHA-256, AES-256-CBC): a quick
 * check from the test classpath. The measurement of record is the JMH benchmark {@code bench/smime/run.sh}. Run: {@code java -cp <test classpath> fr.mssante.operator.smime.bench.SmimeTiming [iterations]}
 */
public final class SmimeTiming {
    private SmimeTiming() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        TestPki pki = TestPki.create("Bench Root");
        TestPki.Issued alice = pki.issue("alice@a.mss.test");
        TestPki.Issued bob = pki.issue("bob@b.mss.test");
        Clock clock = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
        MimeMessage message = TestMessages.sized("alice@a.mss.test", "bob@b.mss.test", 100 * 1024);
        MessageSigner signer = new MessageSigner(clock);
        SignatureVerifier verifier = new SignatureVerifier(List.of(pki.ca), fr.mssante.operator.smime.testing.Revocations.nothingRevoked(pki), RevocationMode.BEST_EFFORT, clock);
        MessageEncryptor encryptor = new MessageEncryptor();
        MessageDecryptor decryptor = new MessageDecryptor(new MapKeyStore().put("bob@b.mss.test", bob));
        MimeMessage signed = TestMessages.roundTrip(signer.sign(message, alice.entry("alice"), SignOptions.DEFAULT).orElseThrow());
        MimeMessage encrypted = TestMessages.roundTrip(
                encryptor.encrypt(message, List.of(bob.certificate()), EncryptOptions.DEFAULT).orElseThrow());

        time("sign", iterations, () -> signer.sign(message, alice.entry("alice"), SignOptions.DEFAULT).isSuccess());
        time("verify", iterations, () -> verifier.verify(signed).status() == OverallStatus.GOOD);
        time("encrypt", iterations, () -> encryptor.encrypt(message, List.of(bob.certificate()), EncryptOptions.DEFAULT).isSuccess());
        time("decrypt", iterations, () -> decryptor.decrypt(encrypted, "bob@b.mss.test").status() == DecryptionStatus.DECRYPTED);
    }

    private static void time(String name, int iterations, Supplier<Boolean> operation) {
        for (int i = 0; i < iterations / 2; i++) {
            check(operation.get(), name);
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            check(operation.get(), name);
        }
        double ms = (System.nanoTime() - start) / 1e6 / iterations;
        System.out.printf(Locale.ROOT, "%-8s %7.3f ms/op (%d iterations, 100 KB)%n", name, ms, iterations);
    }

    private static void check(boolean ok, String name) {
        if (!ok) {
            throw new IllegalStateException(name + " failed");
        }
    }
}
