package fr.mssante.operator.extensions.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import com.google.common.collect.ImmutableMap;

import fr.mssante.operator.delivery.OutboundSettings;

class SendDeliveryStatusNotificationTest {
    private static final OutboundSettings SETTINGS = new OutboundSettings(Path.of("chain.pem"), Path.of("key.pem"),
        "mx1.operateur-a.test", Map.of(), Duration.ofSeconds(30), List.of(Duration.ofMinutes(5)), 3, Duration.ofMinutes(1));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T06:30:00Z"), ZoneOffset.UTC);

    private final FakeMailContext context = fakeContext();

    private static FakeMailContext fakeContext() {
        try {
            return FakeMailContext.builder().postmaster(new MailAddress("postmaster@operateur-a.test")).build();
        } catch (javax.mail.internet.AddressException e) {
            throw new IllegalStateException(e);
        }
    }

    private SendDeliveryStatusNotification mailet(String... parameters) throws Exception {
        FakeMailetConfig.Builder config = FakeMailetConfig.builder().mailetName("dsn").mailetContext(context);
        for (int i = 0; i < parameters.length; i += 2) {
            config.setProperty(parameters[i], parameters[i + 1]);
        }
        SendDeliveryStatusNotification mailet = new SendDeliveryStatusNotification(SETTINGS, CLOCK);
        mailet.init(config.build());
        return mailet;
    }

    private static FakeMail original(String... recipients) throws Exception {
        return FakeMail.builder().name("m1").sender("alice@operateur-a.test").recipients(recipients)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("CR-BIO").addHeader("Message-ID", "<m1@a.test>")
                .setText("Kaliemie 4,2 mmol/L").build())
            .build();
    }

    private static String deliveryStatus(MimeMessage dsn) throws Exception {
        MimeMultipart report = (MimeMultipart) dsn.getContent();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        report.getBodyPart(1).getInputStream().transferTo(body);
        return body.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void eachRecipientGetsItsOwnRemoteReplyAsStatusDiagnosticAndRemoteMta() throws Exception {
        FakeMail mail = original("b1@operateur-b.test", "b2@operateur-b.test");
        DsnReasons.put(mail, new MailAddress("b1@operateur-b.test"), "550 5.1.1 unknown user", Optional.of("mx.operateur-b.test"));
        DsnReasons.put(mail, new MailAddress("b2@operateur-b.test"), "552 5.2.2 mailbox full", Optional.of("mx.operateur-b.test"));

        mailet().service(mail);

        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail sent = context.getSentMails().get(0);
        assertThat(Optional.ofNullable(sent.getSender()).filter(sender -> !sender.isNullSender())).as("null reverse-path").isEmpty();
        assertThat(sent.getRecipients()).containsExactly(new MailAddress("alice@operateur-a.test"));
        MimeMessage dsn = sent.getMsg();
        assertThat(dsn.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        assertThat(dsn.getHeader("Auto-Submitted")).containsExactly("auto-replied");
        assertThat(dsn.getSubject()).isEqualTo("Non remis / Undelivered: CR-BIO");
        assertThat(dsn.getMessageID()).endsWith("@mx1.operateur-a.test>");
        assertThat(dsn.getHeader("In-Reply-To")).containsExactly("<m1@a.test>");
        assertThat(deliveryStatus(dsn))
            .contains("Reporting-MTA: dns; mx1.operateur-a.test\r\n")
            .contains("Final-Recipient: rfc822; b1@operateur-b.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                + "Remote-MTA: dns; mx.operateur-b.test\r\nDiagnostic-Code: smtp; 550 5.1.1 unknown user\r\n")
            .contains("Final-Recipient: rfc822; b2@operateur-b.test\r\nAction: failed\r\nStatus: 5.2.2\r\n")
            .doesNotContain("Status: 550");
        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void retFullIsHonouredUnlessTheContentMustNotGoBack() throws Exception {
        FakeMail full = original("b@operateur-b.test");
        full.setDsnParameters(DsnParameters.of(Optional.empty(), Optional.of(DsnParameters.Ret.FULL), ImmutableMap.of()).orElseThrow());
        mailet().service(full);
        FakeMail infected = original("b@operateur-b.test");
        infected.setDsnParameters(DsnParameters.of(Optional.empty(), Optional.of(DsnParameters.Ret.FULL), ImmutableMap.of()).orElseThrow());
        mailet("fullReturn", "false", "defaultStatus", "5.7.1", "notice", "virus found").service(infected);

        MimeMultipart returned = (MimeMultipart) context.getSentMails().get(0).getMsg().getContent();
        MimeMultipart quarantined = (MimeMultipart) context.getSentMails().get(1).getMsg().getContent();
        assertThat(returned.getBodyPart(2).getContentType()).startsWith("message/rfc822");
        assertThat(quarantined.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
        assertThat(deliveryStatus(context.getSentMails().get(1).getMsg())).contains("Status: 5.7.1\r\n")
            .contains("Diagnostic-Code: X-MSS; virus found\r\n");
    }

    @Test
    void nothingOfACopyDecryptedHereGoesBackEvenWithRetFull() throws Exception {
        FakeMail decrypted = original("bruno@operateur-a.test");
        decrypted.getMessage().setHeader("X-MSS-SMIME-Decryption", "decrypted");
        decrypted.getMessage().saveChanges();
        decrypted.setDsnParameters(DsnParameters.of(Optional.empty(), Optional.of(DsnParameters.Ret.FULL), ImmutableMap.of()).orElseThrow());

        mailet("attachment", "message").service(decrypted);

        MimeMultipart report = (MimeMultipart) context.getSentMails().get(0).getMsg().getContent();
        assertThat(report.getCount()).as("human-readable part and delivery-status only").isEqualTo(2);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        context.getSentMails().get(0).getMsg().writeTo(whole);
        assertThat(whole.toString(StandardCharsets.UTF_8)).doesNotContain("Kaliemie");
    }

    @Test
    void theOriginalRecipientComesFromOrcpt() throws Exception {
        FakeMail mail = original("b@operateur-a.test");
        mail.setDsnParameters(DsnParameters.of(Optional.empty(), Optional.empty(), ImmutableMap.of(new MailAddress("b@operateur-a.test"),
            DsnParameters.RecipientDsnParameters.of(EnumSet.of(DsnParameters.Notify.SUCCESS), new MailAddress("alias@operateur-a.test")))).orElseThrow());

        mailet("action", "delivered").service(mail);

        assertThat(deliveryStatus(context.getSentMails().get(0).getMsg()))
            .contains("Original-Recipient: rfc822; alias@operateur-a.test\r\nFinal-Recipient: rfc822; b@operateur-a.test\r\n"
                + "Action: delivered\r\nStatus: 2.0.0\r\n")
            .doesNotContain("Diagnostic-Code");
    }

    @Test
    void theAuditRowFailingForAnOutageDoesNotMakeTheRetrySendTheDsnAgain() throws Exception {
        // every connection refused, as while PostgreSQL restarts
        javax.sql.DataSource down = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, arguments) -> {
                throw new java.sql.SQLTransientConnectionException("Connection is not available, request timed out");
            });
        SendDeliveryStatusNotification mailet = new SendDeliveryStatusNotification(SETTINGS,
            fr.mssante.operator.extensions.audit.TestJournals.log(down), CLOCK);
        mailet.init(FakeMailetConfig.builder().mailetName("dsn").mailetContext(context).setProperty("action", "delivered")
            .setProperty("passThrough", "true").build());
        FakeMail mail = original("bruno@operateur-a.test");
        mail.setState("local-delivery");

        assertThatThrownBy(() -> mailet.service(mail)).isInstanceOf(javax.mail.MessagingException.class);
        Mail again = mail.duplicate();
        again.setState("local-delivery");
        assertThatThrownBy(() -> mailet.service(again)).isInstanceOf(javax.mail.MessagingException.class);

        assertThat(context.getSentMails()).hasSize(1);
    }

    @Test
    void theProcessorRunningAgainForTheSameMailSendsNoSecondDsn() throws Exception {
        FakeMail mail = original("bruno@operateur-a.test");
        mail.setState("bounces");
        SendDeliveryStatusNotification mailet = mailet("passThrough", "true");

        mailet.service(mail);
        Mail again = mail.duplicate();
        again.setState("bounces");
        mailet.service(again);
        // another processor (another kind of report) is another DSN
        again.setState("relayed");
        mailet("action", "relayed", "passThrough", "true").service(again);

        assertThat(context.getSentMails()).hasSize(2);
    }

    @Test
    void aMailWithANullReversePathGetsNoDsn() throws Exception {
        FakeMail nullSender = FakeMail.builder().name("m2").sender(MaybeSender.nullSender()).recipients("b@operateur-b.test")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setText("x").build()).build();

        mailet().service(nullSender);

        assertThat(context.getSentMails()).isEmpty();
        assertThat(nullSender.getState()).isEqualTo(Mail.GHOST);
    }

    @Test
    void anUnknownParameterOrAStatusThatDoesNotFitTheActionFailsAtStartup() {
        assertThatThrownBy(() -> mailet("action", "failed", "notify", "always"))
            .isInstanceOf(javax.mail.MessagingException.class).hasMessageContaining("notify");
        assertThatThrownBy(() -> mailet("action", "failed", "defaultStatus", "2.0.0"))
            .isInstanceOf(javax.mail.MessagingException.class);
    }
}
