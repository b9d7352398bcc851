package fr.mssante.operator.extensions.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.delivery.OutboundMail;

/**
 * {@link DeliverToTrustedOperator} as an adapter: what it hands to the James-free delivery is the mail's envelope,
 * content and DSN parameters, unchanged.
 */
class DeliverToTrustedOperatorEnvelopeTest {
    @Test
    void theMailIsHandedOnWithItsEnvelopeAndDsnParameters() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setText("bonjour");
        message.saveChanges();
        FakeMail mail = FakeMail.builder().name("m1").sender("alice@ours.example")
            .recipients("bruno@peer.example", "claire@peer.example").mimeMessage(message).size(4321).build();
        mail.setDsnParameters(DsnParameters.builder().envId(DsnParameters.EnvId.of("env-1")).ret(DsnParameters.Ret.HDRS)
            .addRcptParameter(new MailAddress("bruno@peer.example"), DsnParameters.RecipientDsnParameters.of(
                EnumSet.of(DsnParameters.Notify.SUCCESS, DsnParameters.Notify.FAILURE), new MailAddress("b@alias.example")))
            .build().orElseThrow());

        OutboundMail outbound = DeliverToTrustedOperator.outboundMail(mail);

        assertThat(outbound.reversePath()).isEqualTo("alice@ours.example");
        assertThat(outbound.recipients()).containsExactly("bruno@peer.example", "claire@peer.example");
        assertThat(outbound.size()).isEqualTo(4321);
        assertThat(outbound.message()).isSameAs(message);
        assertThat(outbound.ret()).contains("HDRS");
        assertThat(outbound.envelopeId()).contains("env-1");
        assertThat(outbound.recipientDsn()).containsOnlyKeys("bruno@peer.example");
        assertThat(outbound.recipientDsn().get("bruno@peer.example"))
            .isEqualTo(new OutboundMail.RecipientDsn(List.of("SUCCESS", "FAILURE"), Optional.of("b@alias.example")));
    }

    @Test
    void theNullReversePathIsEmptyAndNoDsnParametersMeansNone() throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setText("rapport");
        message.saveChanges();
        FakeMail mail = FakeMail.builder().name("m2").recipients("bruno@peer.example").mimeMessage(message).build();

        OutboundMail outbound = DeliverToTrustedOperator.outboundMail(mail);

        assertThat(outbound.reversePath()).isEmpty();
        assertThat(outbound.ret()).isEmpty();
        assertThat(outbound.envelopeId()).isEmpty();
        assertThat(outbound.recipientDsn()).isEmpty();
    }
}
