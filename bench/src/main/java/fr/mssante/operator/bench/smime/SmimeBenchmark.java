package fr.mssante.operator.bench.smime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.mail.internet.MimeMessage;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import fr.mssante.operator.smime.decrypt.DecryptionResult;
import fr.mssante.operator.smime.decrypt.DecryptionStatus;
import fr.mssante.operator.smime.decrypt.MessageDecryptor;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.keystore.KeyEntry;
import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.smime.verify.OverallStatus;
import fr.mssante.operator.smime.verify.RevocationMode;
import fr.mssante.operator.smime.verify.RevocationVerdict;
import fr.mssante.operator.smime.verify.SignatureVerifier;
import fr.mssante.operator.smime.verify.VerificationResult;

/**
 * Sign / verify / encrypt / decrypt of a 100 KB text message (RSA-2048, SHA-256, AES-256-CBC), through the smime
 * module's public services ({@code ours*}), and the same four operations by {@code openssl smime} on the same message
 * and the same keys, in the same run ({@code openssl*}, one process per operation: the figure includes process
 * start-up, nothing is subtracted; {@code opensslVersion} shows that fixed cost alone).
 *
 * <p>Ours: whole message in and out (MIME parsing of the input is done once at setup, as James hands us a parsed
 * message; building the output message is included). Verify checks the signature, validity, the path to the root,
 * key usage and signer address against From, with no revocation source. openssl: the input is read from and the output
 * written to files in a temporary directory (page cache), stdout/stderr discarded, exit status checked.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SmimeBenchmark {
    static final int SIZE = 100 * 1024;
    private static final String ALICE = "alice@a.mss.test";
    private static final String BOB = "bob@b.mss.test";

    private MimeMessage message;
    private MimeMessage signed;
    private MimeMessage encrypted;
    private KeyEntry aliceKey;
    private List<X509Certificate> bobCertificate;
    private String bobMailbox;
    private MessageSigner signer;
    private SignatureVerifier verifier;
    private MessageEncryptor encryptor;
    private MessageDecryptor decryptor;

    private Path dir;
    private List<String> opensslSign;
    private List<String> opensslVerify;
    private List<String> opensslEncrypt;
    private List<String> opensslDecrypt;
    private List<String> opensslVersion;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BenchPki pki = new BenchPki("Bench Root");
        BenchPki.Issued alice = pki.issue(ALICE);
        BenchPki.Issued bob = pki.issue(BOB);
        Clock clock = Clock.fixed(BenchPki.NOW, ZoneOffset.UTC);
        message = MimeEntities.parse(sizedMessage(ALICE, BOB, SIZE));
        aliceKey = new KeyEntry(ALICE, alice.certificate(), List.of(), alice.key());
        bobCertificate = List.of(bob.certificate());
        bobMailbox = BOB;
        signer = new MessageSigner(clock);
        // revocation is not what is measured here: every certificate counts as not revoked
        verifier = new SignatureVerifier(List.of(pki.ca), (certificate, issuer, now) -> RevocationVerdict.GOOD,
            RevocationMode.BEST_EFFORT, clock);
        encryptor = new MessageEncryptor();
        KeyEntry bobKey = new KeyEntry(BOB, bob.certificate(), List.of(), bob.key());
        decryptor = new MessageDecryptor(owner -> owner.equals(BOB) ? List.of(bobKey) : List.of());

        // Inputs for verify and decrypt: produced by us, serialised and parsed again (as after a queue or SMTP).
        byte[] signedBytes = MimeEntities.toBytes(signer.sign(message, aliceKey, SignOptions.DEFAULT).orElseThrow());
        byte[] encryptedBytes = MimeEntities.toBytes(encryptor.encrypt(message, bobCertificate, EncryptOptions.DEFAULT).orElseThrow());
        signed = MimeEntities.parse(signedBytes);
        encrypted = MimeEntities.parse(encryptedBytes);
        check(oursVerify().status() == OverallStatus.GOOD, "our verify");
        check(oursDecrypt().status() == DecryptionStatus.DECRYPTED, "our decrypt");

        // The same message, keys and inputs for openssl.
        dir = Files.createTempDirectory("smime-bench");
        Files.write(dir.resolve("content.eml"), MimeEntities.contentEntity(message));
        Files.write(dir.resolve("signed.eml"), signedBytes);
        Files.write(dir.resolve("encrypted.eml"), encryptedBytes);
        BenchPki.writePem(dir.resolve("ca.pem"), pki.ca);
        BenchPki.writePem(dir.resolve("alice.pem"), alice.certificate());
        BenchPki.writePem(dir.resolve("alice.key"), alice.key());
        BenchPki.writePem(dir.resolve("bob.pem"), bob.certificate());
        BenchPki.writePem(dir.resolve("bob.key"), bob.key());
        opensslSign = List.of("openssl", "smime", "-sign", "-in", "content.eml", "-signer", "alice.pem", "-inkey", "alice.key",
                "-md", "sha256", "-out", "out-signed.eml");
        opensslVerify = List.of("openssl", "smime", "-verify", "-in", "signed.eml", "-CAfile", "ca.pem", "-out", "out-verified.eml");
        opensslEncrypt = List.of("openssl", "smime", "-encrypt", "-aes256", "-in", "content.eml", "-out", "out-encrypted.eml", "bob.pem");
        opensslDecrypt = List.of("openssl", "smime", "-decrypt", "-in", "encrypted.eml", "-recip", "bob.pem", "-inkey", "bob.key",
                "-out", "out-decrypted.eml");
        opensslVersion = List.of("openssl", "version");
        for (List<String> command : List.of(opensslSign, opensslVerify, opensslEncrypt, opensslDecrypt, opensslVersion)) {
            run(command);
        }
        check(Files.size(dir.resolve("out-decrypted.eml")) > SIZE, "openssl decrypt output");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // --- ours (the smime module's services)

    @Benchmark
    public MimeMessage oursSign() {
        return signer.sign(message, aliceKey, SignOptions.DEFAULT).orElseThrow();
    }

    @Benchmark
    public VerificationResult oursVerify() {
        return verifier.verify(signed);
    }

    @Benchmark
    public MimeMessage oursEncrypt() {
        return encryptor.encrypt(message, bobCertificate, EncryptOptions.DEFAULT).orElseThrow();
    }

    @Benchmark
    public DecryptionResult oursDecrypt() {
        return decryptor.decrypt(encrypted, bobMailbox);
    }

    // --- openssl smime, one process per operation (start-up included)

    @Benchmark
    public int opensslSign() throws Exception {
        return run(opensslSign);
    }

    @Benchmark
    public int opensslVerify() throws Exception {
        return run(opensslVerify);
    }

    @Benchmark
    public int opensslEncrypt() throws Exception {
        return run(opensslEncrypt);
    }

    @Benchmark
    public int opensslDecrypt() throws Exception {
        return run(opensslDecrypt);
    }

    /** The fixed cost of starting an openssl process (fork/exec, loading libcrypto and its configuration). */
    @Benchmark
    public int opensslVersion() throws Exception {
        return run(opensslVersion);
    }

    private int run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + status + " in " + dir);
        }
        return status;
    }

    /** A text message of about {@code size} bytes (printable lines of 76 characters), as in the smime tests. */
    static byte[] sizedMessage(String from, String to, int size) {
        StringBuilder body = new StringBuilder(size + 100);
        Random random = new Random(42);
        while (body.length() < size) {
            for (int i = 0; i < 76; i++) {
                body.append((char) ('a' + random.nextInt(26)));
            }
            body.append("\r\n");
        }
        return ("From: " + from + "\r\nTo: " + to + "\r\nSubject: bench\r\nMessage-ID: <bench@mss.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " failed");
        }
    }
}
