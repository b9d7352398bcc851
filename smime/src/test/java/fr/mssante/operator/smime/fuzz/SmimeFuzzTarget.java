package fr.mssante.operator.smime.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import javax.mail.internet.MimeMessage;

import fr.mssante.operator.smime.decrypt.MessageDecryptor;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.mime.SmimeEntities;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.smime.testing.MapKeyStore;
import fr.mssante.operator.smime.testing.TestPki;
import fr.mssante.operator.smime.verify.RevocationMode;
import fr.mssante.operator.smime.verify.SignatureVerifier;

/**
 * Jazzer fuzz target for every public S/MIME entry point: the input is taken as a whole message, and as a raw CMS
 * blob wrapped in application/pkcs7-mime (signed-data and enveloped-data). Any exception escaping is a finding.
 * Driven by {@link SeededMutationTest}; {@link SmimeFuzzTest} has the Jazzer {@code @FuzzTest}s per entry point.
 */
public final class SmimeFuzzTarget {
    private static final TestPki PKI = TestPki.create("Fuzz Root");
    private static final TestPki.Issued BOB = PKI.issue("bob@b.mss.test");
    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private static final SignatureVerifier VERIFIER = new SignatureVerifier(List.of(PKI.ca),
            fr.mssante.operator.smime.testing.Revocations.crls(PKI.crl(List.of(), TestPki.NOW.minusSeconds(3600), TestPki.NOW.plusSeconds(86400))),
            RevocationMode.REQUIRE, CLOCK);
    private static final MessageDecryptor DECRYPTOR = new MessageDecryptor(new MapKeyStore().put("bob@b.mss.test", BOB));
    private static final MessageSigner SIGNER = new MessageSigner(CLOCK);
    private static final MessageEncryptor ENCRYPTOR = new MessageEncryptor();
    private static final String MAILBOXES = "bob@b.mss.test";

    private SmimeFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        MimeMessage message = parse(data);
        if (message != null) {
            VERIFIER.verify(message);
            DECRYPTOR.decrypt(message, MAILBOXES);
            SIGNER.sign(message, BOB.entry("bob@b.mss.test"), SignOptions.DEFAULT);
            ENCRYPTOR.encrypt(message, List.of(BOB.certificate()), EncryptOptions.DEFAULT);
        }
        MimeMessage signedData = wrap("signed-data", data);
        if (signedData != null) {
            VERIFIER.verify(signedData);
        }
        MimeMessage envelopedData = wrap("enveloped-data", data);
        if (envelopedData != null) {
            DECRYPTOR.decrypt(envelopedData, MAILBOXES);
        }
    }

    /** Parsing is James's job, before our code runs: a message it cannot parse never reaches us. */
    private static MimeMessage parse(byte[] data) {
        try {
            return MimeEntities.parse(data);
        } catch (Exception e) {
            return null;
        }
    }

    private static MimeMessage wrap(String smimeType, byte[] der) {
        byte[] head = ("From: alice@a.mss.test\r\nTo: bob@b.mss.test\r\nMIME-Version: 1.0\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] entity = SmimeEntities.pkcs7Mime(smimeType, der);
        byte[] all = new byte[head.length + entity.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(entity, 0, all, head.length, entity.length);
        return parse(all);
    }
}
