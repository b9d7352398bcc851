package fr.mssante.operator.extensions.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Message;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.smime.policy.EncryptMode;
import fr.mssante.operator.smime.policy.OutboundPlanner;
import fr.mssante.operator.smime.policy.PolicyResolver;
import fr.mssante.operator.smime.policy.PolicySettings;
import fr.mssante.operator.smime.policy.SignMode;

/**
 * Issue 12 #1, the same mistake on the way out: one envelope for every recipient would show each recipient who else
 * the message was encrypted for, Bcc recipients included. Recipients the To/Cc headers do not show get their own copy,
 * encrypted for them alone.
 */
class SignAndEncryptOutgoingTest {
    private static final String SENDER = "dr.house@a.mss.test";
    private static final String TO = "alice@b.mss.test";
    private static final String CC = "bruno@b.mss.test";
    private static final String BCC = "claire@b.mss.test";
    private static Map<String, X509Certificate> certificates;

    @BeforeAll
    static void certificates() throws Exception {
        certificates = Map.of(TO, certificate(TO), CC, certificate(CC), BCC, certificate(BCC));
    }

    @Test
    void aRecipientNotShownInToOrCcGetsItsOwnEnvelopeAndIsNamedInNoOtherOne() throws Exception {
        FakeMailContext context = FakeMailContext.defaultContext();
        SignAndEncryptOutgoing mailet = mailet(context);
        Mail mail = FakeMail.builder().name("m1").sender(SENDER).recipients(TO, CC, BCC)
            .mimeMessage(message()).state("relay").build();

        mailet.service(mail);

        assertThat(mail.getRecipients()).containsExactlyInAnyOrder(new MailAddress(TO), new MailAddress(CC));
        assertThat(envelopeRecipients(mail.getMessage())).containsExactlyInAnyOrder(TO, CC);
        assertThat(context.getSentMails()).singleElement().satisfies(sentCopy -> {
            assertThat(sentCopy.getRecipients()).containsExactly(new MailAddress(BCC));
            assertThat(sentCopy.getState()).isEqualTo("relay");
        });

        // the copy comes back through the processor: encrypted for the Bcc recipient alone
        FakeMailContext.SentMail sent = context.getSentMails().get(0);
        Mail copy = FakeMail.builder().name("m2").sender(SENDER).recipients(List.copyOf(sent.getRecipients()))
            .mimeMessage(sent.getMsg()).state("relay").build();
        mailet(FakeMailContext.defaultContext()).service(copy);
        assertThat(envelopeRecipients(copy.getMessage())).containsExactly(BCC);
    }

    @Test
    void recipientsWhoSeeEachOtherShareOneEnvelope() throws Exception {
        FakeMailContext context = FakeMailContext.defaultContext();
        Mail mail = FakeMail.builder().name("m3").sender(SENDER).recipients(TO, CC).mimeMessage(message()).state("relay").build();

        mailet(context).service(mail);

        assertThat(context.getSentMails()).isEmpty();
        assertThat(envelopeRecipients(mail.getMessage())).containsExactlyInAnyOrder(TO, CC);
    }

    @Test
    void theProcessorRunningAgainForTheSameMailDoesNotWrapItASecondTime() throws Exception {
        FakeMailContext context = FakeMailContext.defaultContext();
        SignAndEncryptOutgoing mailet = mailet(context);
        Mail mail = FakeMail.builder().name("m4").sender(SENDER).recipients(TO, CC).mimeMessage(message()).state("relay").build();
        mailet.service(mail);
        java.io.ByteArrayOutputStream encrypted = new java.io.ByteArrayOutputStream();
        mail.getMessage().writeTo(encrypted);

        // RELAYED could not be audited (PostgreSQL unreachable): the mail, already encrypted, comes back to relay
        Mail again = mail.duplicate();
        again.setState("relay");
        mailet.service(again);

        java.io.ByteArrayOutputStream after = new java.io.ByteArrayOutputStream();
        again.getMessage().writeTo(after);
        assertThat(after.toByteArray()).isEqualTo(encrypted.toByteArray());
        assertThat(envelopeRecipients(again.getMessage())).containsExactlyInAnyOrder(TO, CC);
    }

    private static SignAndEncryptOutgoing mailet(FakeMailContext context) throws Exception {
        OutboundPlanner planner = new OutboundPlanner(
            new PolicyResolver((scope, key) -> Optional.empty(), new PolicySettings(SignMode.NEVER, EncryptMode.REQUIRED)),
            owner -> List.of(), email -> Optional.ofNullable(certificates.get(email)).map(List::of).orElse(List.of()),
            Optional.empty(), Clock.systemUTC());
        SignAndEncryptOutgoing mailet = new SignAndEncryptOutgoing(planner, Clock.systemUTC());
        mailet.init(FakeMailetConfig.builder().mailetName("SignAndEncryptOutgoing").mailetContext(context)
            .setProperty("bounceProcessor", "bounces").build());
        return mailet;
    }

    private static MimeMessage message() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(SENDER));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(TO));
        message.setRecipient(Message.RecipientType.CC, new InternetAddress(CC));
        message.setSubject("Compte rendu");
        message.setText("Confidentiel", "UTF-8");
        message.saveChanges();
        return message;
    }

    /** Whose certificates the envelope names (matched against the test certificates). */
    private static List<String> envelopeRecipients(MimeMessage message) throws Exception {
        assertThat(message.getContentType()).contains("pkcs7-mime");
        CMSEnvelopedData enveloped = new CMSEnvelopedData(message.getInputStream());
        List<String> names = new java.util.ArrayList<>();
        for (RecipientInformation info : enveloped.getRecipientInfos().getRecipients()) {
            for (Map.Entry<String, X509Certificate> entry : certificates.entrySet()) {
                if (info.getRID().match(new JcaX509CertificateHolder(entry.getValue()))) {
                    names.add(entry.getKey());
                }
            }
        }
        assertThat(names).hasSize(enveloped.getRecipientInfos().size());
        return names;
    }

    private static X509Certificate certificate(String email) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + email);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(now.toEpochMilli() + email.hashCode()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))), name, keys.getPublic())
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection))
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    }

    @Test
    void anUnknownParameterFailsAtStartup() throws Exception {
        OutboundPlanner planner = new OutboundPlanner(
            new PolicyResolver((scope, key) -> Optional.empty(), new PolicySettings(SignMode.NEVER, EncryptMode.REQUIRED)),
            owner -> List.of(), email -> List.of(), Optional.empty(), Clock.systemUTC());
        SignAndEncryptOutgoing mailet = new SignAndEncryptOutgoing(planner, Clock.systemUTC());
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("SignAndEncryptOutgoing")
            .setProperty("bounceProcesor", "bounces").build()))
            .isInstanceOf(javax.mail.MessagingException.class).hasMessageContaining("bounceProcesor");
    }
}
