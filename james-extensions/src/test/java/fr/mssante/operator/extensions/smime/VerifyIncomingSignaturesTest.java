package fr.mssante.operator.extensions.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.testing.TestDatabase;
import fr.mssante.operator.smime.encrypt.CertificateRepository;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;
import fr.mssante.operator.smime.testing.Revocations;
import fr.mssante.operator.smime.testing.TestMessages;
import fr.mssante.operator.smime.testing.TestPki;
import fr.mssante.operator.smime.verify.RevocationMode;
import fr.mssante.operator.smime.verify.SignatureVerifier;

/**
 * {@link VerifyIncomingSignatures} with James's mailet test kit: the verdict in {@code X-MSS-SMIME-*} headers and
 * {@code mss.smime.*} attributes, sender-supplied verdict headers replaced, a good signer's certificate learnt
 * (certificate repository on the embedded PostgreSQL).
 */
class VerifyIncomingSignaturesTest {
    private static final TestPki PKI = TestPki.create("Extensions Signature Root");
    private static final Clock CLOCK = Clock.fixed(TestPki.NOW, ZoneOffset.UTC);
    private final CertificateRepository certificates = new CertificateRepository(TestDatabase.dataSource());

    private VerifyIncomingSignatures mailet() throws MessagingException {
        VerifyIncomingSignatures mailet = new VerifyIncomingSignatures(
            new SignatureVerifier(List.of(PKI.ca), Revocations.nothingRevoked(PKI), RevocationMode.BEST_EFFORT, CLOCK), certificates);
        mailet.init(FakeMailetConfig.builder().mailetName("VerifyIncomingSignatures").build());
        return mailet;
    }

    private static MimeMessage signedBy(TestPki.Issued signer, String from, String body) {
        return TestMessages.roundTrip(new MessageSigner(CLOCK).sign(TestMessages.text(from, "dr.b@demo.mss.test", body),
            signer.entry("signer"), SignOptions.DEFAULT).orElseThrow());
    }

    @Test
    void aGoodSignatureIsRecordedAndItsCertificateLearnt() throws Exception {
        String signer = "dr.good." + System.nanoTime() + "@a.mss.test";
        TestPki.Issued id = PKI.issue(signer);
        MimeMessage message = signedBy(id, signer, "Bonjour\r\n");
        message.setHeader("X-MSS-SMIME-Status", "good (forged by the sender)");
        FakeMail mail = FakeMail.builder().name("sig-1").sender(signer).recipient("dr.b@demo.mss.test").mimeMessage(message).build();

        mailet().service(mail);

        assertThat(mail.getAttribute(AttributeName.of("mss.smime.status"))).map(Attribute::getValue)
            .contains(AttributeValue.of("good"));
        assertThat(mail.getAttribute(AttributeName.of("mss.smime.signer.1.email"))).map(Attribute::getValue)
            .contains(AttributeValue.of(signer));
        assertThat(mail.getMessage().getHeader("X-MSS-SMIME-Status")).containsExactly("good");
        assertThat(certificates.certificatesFor(signer)).containsExactly(id.certificate());
    }

    @Test
    void aTamperedMessageIsMarkedBadAndNothingIsLearnt() throws Exception {
        String signer = "dr.tampered." + System.nanoTime() + "@a.mss.test";
        String signed = TestMessages.string(signedBy(PKI.issue(signer), signer, "Dose: 5 mg\r\n"));
        FakeMail mail = FakeMail.builder().name("sig-2").sender(signer).recipient("dr.b@demo.mss.test")
            .mimeMessage(TestMessages.parse(signed.replace("Dose: 5 mg", "Dose: 50 mg"))).build();

        mailet().service(mail);

        assertThat(mail.getAttribute(AttributeName.of("mss.smime.status"))).map(Attribute::getValue)
            .contains(AttributeValue.of("bad"));
        assertThat(mail.getMessage().getHeader("X-MSS-SMIME-Status")).containsExactly("bad");
        assertThat(certificates.certificatesFor(signer)).isEmpty();
    }

    @Test
    void unsignedMailIsLeftAlone() throws Exception {
        FakeMail mail = FakeMail.builder().name("sig-3").sender("a@a.mss.test").recipient("dr.b@demo.mss.test")
            .mimeMessage(TestMessages.text("a@a.mss.test", "dr.b@demo.mss.test", "Bonjour\r\n")).build();

        mailet().service(mail);

        assertThat(mail.attributeNames()).isEmpty();
        assertThat(mail.getMessage().getHeader("X-MSS-SMIME-Status")).isNull();
    }

    @Test
    void anUnknownParameterFailsAtStartup() {
        VerifyIncomingSignatures mailet = new VerifyIncomingSignatures(new SignatureVerifier(List.of(PKI.ca),
            Revocations.nothingRevoked(PKI), RevocationMode.BEST_EFFORT, CLOCK), certificates);
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("VerifyIncomingSignatures")
            .setProperty("revocation", "REQUIRE").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("revocation");
    }
}
