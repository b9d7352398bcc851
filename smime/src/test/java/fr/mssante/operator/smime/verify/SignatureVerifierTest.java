package fr.mssante.operator.smime.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import fr.mssante.operator.smime.mime.MimeEntities;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.smime.sign.SignatureScheme;
import fr.mssante.operator.smime.testing.CmsFixtures;
import fr.mssante.operator.smime.testing.Revocations;
import fr.mssante.operator.smime.testing.TestMessages;
import fr.mssante.operator.smime.testing.TestPki;

class SignatureVerifierTest {
    private static final TestPki PKI = TestPki.create("MSS Test Root");
    private static final TestPki OTHER = TestPki.create("Unknown Root");
    private static final TestPki.Issued ALICE = PKI.issue("alice@a.mss.test");
    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);

    private final MessageSigner signer = new MessageSigner(CLOCK);

    private SignatureVerifier verifier(RevocationSource revocation, RevocationMode mode, Clock clock) {
        return new SignatureVerifier(List.of(PKI.ca), revocation, mode, clock);
    }

    private SignatureVerifier verifier() {
        return verifier(Revocations.nothingRevoked(PKI), RevocationMode.BEST_EFFORT, CLOCK);
    }

    private MimeMessage signed(MimeMessage message, TestPki.Issued who) {
        return TestMessages.roundTrip(signer.sign(message, who.entry("x"), SignOptions.DEFAULT).orElseThrow());
    }

    @Test
    void goodDetachedSignature() {
        MimeMessage message = signed(TestMessages.text("Alice <alice@a.mss.test>", "bob@b.mss.test", "Bonjour\r\n"), ALICE);

        VerificationResult result = verifier().verify(message);

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
        assertThat(result.opaque()).isFalse();
        assertThat(result.unwrapped()).isEmpty();
        assertThat(result.signers()).singleElement().satisfies(s -> {
            assertThat(s.status()).isEqualTo(SignerStatus.GOOD);
            assertThat(s.email()).contains("alice@a.mss.test");
            assertThat(s.subject()).contains("CN=alice");
            assertThat(s.issuer()).contains("CN=MSS Test Root");
            assertThat(s.serial()).isEqualTo(ALICE.certificate().getSerialNumber());
            assertThat(s.certificate()).contains(ALICE.certificate());
        });
        assertThat(result.attributes())
                .containsEntry("mss.smime.status", "good")
                .containsEntry("mss.smime.signers", "1")
                .containsEntry("mss.smime.signer.1.email", "alice@a.mss.test")
                .containsEntry("mss.smime.signer.1.reasons", "")
                .doesNotContainKey("mss.smime.reason");
    }

    @Test
    void signedMultipartKeepsItsStructure() throws Exception {
        MimeMessage message = signed(TestMessages.multipart("alice@a.mss.test", "bob@b.mss.test"), ALICE);

        assertThat(verifier().verify(message).status()).isEqualTo(OverallStatus.GOOD);
        assertThat(message.getContentType()).startsWith("multipart/signed");
        assertThat(message.getHeader("Subject", null)).isEqualTo("multipart");
    }

    @Test
    void rsaPssSignature() {
        MimeMessage message = TestMessages.roundTrip(signer.sign(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "pss\r\n"),
                ALICE.entry("alice"), new SignOptions(SignatureScheme.RSA_PSS_SHA256, true)).orElseThrow());

        assertThat(verifier().verify(message).status()).isEqualTo(OverallStatus.GOOD);
    }

    @Test
    void eightBitUtf8BodyIsReencodedAndVerifies() throws Exception {
        MimeMessage message = TestMessages.parse("From: alice@a.mss.test\r\nTo: b@b.mss.test\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nCompte rendu de l'hôpital : état stable.\r\n");

        MimeMessage result = signed(message, ALICE);

        assertThat(verifier().verify(result).status()).isEqualTo(OverallStatus.GOOD);
        assertThat(TestMessages.string(result)).contains("quoted-printable").doesNotContain("hôpital");
    }

    @Test
    void tamperedBodyIsBad() {
        String signed = TestMessages.string(signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "Dose: 5 mg\r\n"), ALICE));

        VerificationResult result = verifier().verify(TestMessages.parse(signed.replace("Dose: 5 mg", "Dose: 50 mg")));

        assertThat(result.status()).isEqualTo(OverallStatus.BAD);
        assertThat(result.signers()).singleElement().extracting(SignerResult::reasons).asList()
                .containsExactly(FailureReason.TAMPERED);
    }

    @Test
    void lineEndingsConvertedToLfStillVerify() {
        String signed = TestMessages.string(signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "line1\r\nline2\r\n"), ALICE));

        VerificationResult result = verifier().verify(TestMessages.parse(signed.replace("\r\n", "\n")));

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
    }

    @Test
    void expiredSignerIsBad() {
        MimeMessage message = signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "x\r\n"), ALICE);
        Clock later = Clock.fixed(ALICE.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1)), ZoneOffset.UTC);

        VerificationResult result = verifier(RevocationSource.none(), RevocationMode.BEST_EFFORT, later).verify(message);

        assertThat(result.signers()).singleElement().extracting(SignerResult::reasons).asList()
                .containsExactly(FailureReason.EXPIRED);
    }

    @Test
    void revokedSignerIsBad() {
        MimeMessage message = signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "x\r\n"), ALICE);
        var crl = PKI.crl(List.of(ALICE.certificate()), TestPki.NOW.minus(Duration.ofHours(1)), TestPki.NOW.plus(Duration.ofDays(7)));

        VerificationResult result = verifier(Revocations.crls(crl), RevocationMode.BEST_EFFORT, CLOCK).verify(message);

        assertThat(result.status()).isEqualTo(OverallStatus.BAD);
        assertThat(result.signers().get(0).reasons()).containsExactly(FailureReason.REVOKED);
    }

    @Test
    void crlWithoutTheSignerKeepsItGood() {
        MimeMessage message = signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "x\r\n"), ALICE);
        var crl = PKI.crl(List.of(), TestPki.NOW.minus(Duration.ofHours(1)), TestPki.NOW.plus(Duration.ofDays(7)));

        VerificationResult result = verifier(Revocations.crls(crl), RevocationMode.REQUIRE, CLOCK).verify(message);

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
    }

    @Test
    void crlFromAnotherCaIsIgnored() {
        MimeMessage message = signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "x\r\n"), ALICE);
        var forged = OTHER.crl(List.of(ALICE.certificate()), TestPki.NOW.minus(Duration.ofHours(1)), TestPki.NOW.plus(Duration.ofDays(7)));

        VerificationResult result = verifier(Revocations.crls(forged), RevocationMode.BEST_EFFORT, CLOCK).verify(message);

        // nothing speaks for the signer: its status is undetermined, never good (and not revoked by a forged CRL)
        assertThat(result.status()).isEqualTo(OverallStatus.UNDETERMINED);
        assertThat(result.signers().get(0).reasons()).containsExactly(FailureReason.REVOCATION_UNDETERMINED);
    }

    @Test
    void missingCrlWhenRequiredIsBad() {
        MimeMessage message = signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "x\r\n"), ALICE);

        VerificationResult result = verifier(RevocationSource.none(), RevocationMode.REQUIRE, CLOCK).verify(message);

        assertThat(result.signers().get(0).reasons()).containsExactly(FailureReason.REVOCATION_UNKNOWN);
    }

    @Test
    void unknownCaIsBad() {
        TestPki.Issued mallory = OTHER.issue("alice@a.mss.test");
        MimeMessage message = signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "x\r\n"), mallory);

        VerificationResult result = verifier().verify(message);

        assertThat(result.signers().get(0).reasons()).containsExactly(FailureReason.UNKNOWN_CA);
    }

    @Test
    void signerNotMatchingFromIsBad() {
        MimeMessage message = signed(TestMessages.text("Boss <boss@a.mss.test>", "b@b.mss.test", "x\r\n"), ALICE);

        VerificationResult result = verifier().verify(message);

        assertThat(result.signers().get(0).reasons()).containsExactly(FailureReason.SIGNER_NOT_FROM);
        assertThat(result.signers().get(0).email()).contains("alice@a.mss.test");
    }

    @Test
    void emailAddressInTheDnIsAccepted() {
        TestPki.Issued carol = PKI.issue("carol@a.mss.test", TestPki.NOW.minus(Duration.ofDays(1)),
                TestPki.NOW.plus(Duration.ofDays(30)), false, false);
        MimeMessage message = signed(TestMessages.text("carol@a.mss.test", "b@b.mss.test", "x\r\n"), carol);

        assertThat(verifier().verify(message).status()).isEqualTo(OverallStatus.GOOD);
    }

    @Test
    void notSignedIsNone() {
        VerificationResult result = verifier().verify(TestMessages.text("a@a.mss.test", "b@b.mss.test", "x\r\n"));

        assertThat(result.status()).isEqualTo(OverallStatus.NONE);
        assertThat(result.headers().values()).containsExactly(java.util.Map.entry("X-MSS-SMIME-Status", "none"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/pkcs7-mime", "application/x-pkcs7-mime"})
    void opaqueSignedDataIsVerifiedAndUnwrapped(String contentType) throws Exception {
        MimeMessage original = TestMessages.text("alice@a.mss.test", "b@b.mss.test", "opaque body\r\n");
        MimeMessage message = TestMessages.roundTrip(CmsFixtures.opaque(original, contentType, ALICE));

        VerificationResult result = verifier().verify(message);

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
        assertThat(result.opaque()).isTrue();
        MimeMessage unwrapped = result.unwrapped().orElseThrow();
        assertThat(unwrapped.getContentType()).startsWith("text/plain");
        assertThat(unwrapped.getContent()).isEqualTo("opaque body\r\n");
        assertThat(unwrapped.getHeader("Subject", null)).isEqualTo("test");
    }

    @Test
    void opaqueWithoutSmimeTypeIsRecognised() throws Exception {
        MimeMessage message = CmsFixtures.opaque(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "x\r\n"),
                "application/x-pkcs7-mime", ALICE);
        String raw = TestMessages.string(message).replace(" smime-type=signed-data;", "");

        VerificationResult result = verifier().verify(TestMessages.parse(raw));

        assertThat(result.status()).isEqualTo(OverallStatus.GOOD);
        assertThat(result.opaque()).isTrue();
    }

    @Test
    void severalSignersAreReportedEach() throws Exception {
        TestPki.Issued stranger = OTHER.issue("alice@a.mss.test");
        MimeMessage message = TestMessages.roundTrip(CmsFixtures.detached(
                TestMessages.text("alice@a.mss.test", "b@b.mss.test", "two signers\r\n"), ALICE, stranger));

        VerificationResult result = verifier().verify(message);

        assertThat(result.signers()).hasSize(2);
        // SignerInfos are a DER SET: their order is the encoding order, not the order of signing
        SignerResult good = result.signers().stream().filter(s -> s.issuer().contains("MSS Test Root")).findFirst().orElseThrow();
        SignerResult unknown = result.signers().stream().filter(s -> s.issuer().contains("Unknown Root")).findFirst().orElseThrow();
        assertThat(good.status()).isEqualTo(SignerStatus.GOOD);
        assertThat(unknown.reasons()).containsExactly(FailureReason.UNKNOWN_CA);
        int unknownIndex = result.signers().indexOf(unknown) + 1;
        int goodIndex = result.signers().indexOf(good) + 1;
        assertThat(result.status()).isEqualTo(OverallStatus.BAD);
        assertThat(result.headers().values())
                .containsEntry("X-MSS-SMIME-Status", "bad")
                .containsEntry("X-MSS-SMIME-Reason", "signer-" + unknownIndex + " unknown-ca")
                .containsEntry("X-MSS-SMIME-Signers", "2")
                .containsKeys("X-MSS-SMIME-Signer-1", "X-MSS-SMIME-Signer-2");
        assertThat(result.headers().values().get("X-MSS-SMIME-Signer-" + goodIndex)).startsWith("status=good; email=alice@a.mss.test; subject=\"");
    }

    @Test
    void truncatedSignatureIsMalformedNotThrown() {
        String signed = TestMessages.string(signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "x\r\n"), ALICE));
        int signatureStart = signed.indexOf("Signature\r\n\r\n") + 13;
        String truncated = signed.substring(0, signatureStart + 40) + signed.substring(signed.lastIndexOf("\r\n--"));

        VerificationResult result = verifier().verify(TestMessages.parse(truncated));

        assertThat(result.status()).isEqualTo(OverallStatus.BAD);
    }

    @Test
    void forgedStatusHeaderIsReplaced() throws Exception {
        MimeMessage message = TestMessages.parse("From: a@a.mss.test\r\nX-MSS-SMIME-Status: good\r\nx-mss-smime-signer-1: forged\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n");

        verifier().verify(message).headers().apply(message);

        assertThat(message.getHeader("X-MSS-SMIME-Status")).containsExactly("none");
        assertThat(message.getHeader("X-MSS-SMIME-Signer-1")).isNull();
    }

    @Test
    void nonAsciiDnIsEncodedInHeaders() {
        SignerResult signer = new SignerResult("CN=Hôpital Léon,O=Santé", "CN=CA", java.math.BigInteger.TEN,
                java.util.Optional.of("x@y"), List.of(), java.util.Optional.empty());
        VerificationResult result = new VerificationResult(List.of(signer), java.util.Optional.empty(), false, java.util.Optional.empty());

        String value = result.headers().values().get("X-MSS-SMIME-Signer-1");

        assertThat(value).isEqualTo(new String(value.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII));
        assertThat(value).contains("=?UTF-8?Q?").doesNotContain("\r", "\n");
    }

    @Test
    void certificateAddressCannotInjectHeaderParameters() {
        SignerResult signer = new SignerResult("CN=x", "CN=CA", java.math.BigInteger.ONE,
                java.util.Optional.of("x@y; status=good\r\nX-Evil: 1"), List.of(FailureReason.UNKNOWN_CA),
                java.util.Optional.empty());
        VerificationResult result = new VerificationResult(List.of(signer), java.util.Optional.empty(), false, java.util.Optional.empty());

        assertThat(result.headers().values().get("X-MSS-SMIME-Signer-1"))
                .startsWith("status=bad; reasons=unknown-ca; email=x@y??status=good??X-Evil??1;")
                .doesNotContain("\r", "\n");
    }

    @Test
    void contentEntityOfAMessageWithoutContentTypeDefaultsToTextPlain() throws Exception {
        MimeMessage message = TestMessages.parse("From: a@a.mss.test\r\n\r\nbody\r\n");

        assertThat(new String(MimeEntities.contentEntity(message), StandardCharsets.US_ASCII))
                .isEqualTo("Content-Type: text/plain; charset=us-ascii\r\n\r\nbody\r\n");
    }

    @Test
    void signatureAtAnInstantBeforeTheCertificateIsNotYetValid() {
        MimeMessage message = signed(TestMessages.text("alice@a.mss.test", "b@b.mss.test", "x\r\n"), ALICE);
        Clock earlier = Clock.fixed(Instant.parse("2001-01-01T00:00:00Z"), ZoneOffset.UTC);

        VerificationResult result = verifier(RevocationSource.none(), RevocationMode.BEST_EFFORT, earlier).verify(message);

        assertThat(result.signers().get(0).reasons()).contains(FailureReason.NOT_YET_VALID);
    }
}
