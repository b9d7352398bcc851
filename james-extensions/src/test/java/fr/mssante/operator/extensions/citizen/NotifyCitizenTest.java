package fr.mssante.operator.extensions.citizen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.citizen.CitizenMails;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.vocabulary.MailboxKind;

/** {@link NotifyCitizen} with James's mailet test kit, on the real citizen register (embedded PostgreSQL). */
class NotifyCitizenTest {
    private final CitizenFixture fixture = new CitizenFixture();

    private NotifyCitizen mailet() throws MessagingException {
        NotifyCitizen mailet = new NotifyCitizen(fixture.bridge);
        mailet.init(FakeMailetConfig.builder().mailetName("NotifyCitizen").mailetContext(fixture.context).build());
        return mailet;
    }

    @Test
    void anOpenCitizenGetsANotificationWithoutHealthDataAtTheirPersonalAddress() throws Exception {
        String citizen = fixture.openCitizen("jean.perso@example.org");
        String doctor = fixture.professional("dr.notify", MailboxKind.PER);
        FakeMail mail = FakeMail.builder().name("notify-1").sender(doctor).recipient(citizen)
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addHeader("Message-ID", "<n1@demo.mss.test>")
                .setSubject("Résultats de biopsie DUPONT").setText("Tumeur bénigne"))
            .build();

        mailet().service(mail);

        assertThat(fixture.context.getSentMails()).singleElement().satisfies(sent -> {
            MimeMessage message = sent.getMsg();
            assertThat(message.getRecipients(javax.mail.Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly("jean.perso@example.org");
            assertThat(message.getFrom()).extracting(Object::toString)
                .containsExactly(CitizenMails.noReply(CitizenFixture.PATIENT_DOMAIN));
            assertThat(message.getSubject()).isEqualTo(CitizenMails.NOTIFICATION_SUBJECT);
            assertThat(message.getHeader("Auto-Submitted", null)).isEqualTo("auto-generated");
            assertThat(message.getSentDate().toInstant()).isEqualTo(fixture.clock.instant());
            String body = (String) message.getContent();
            assertThat(body).contains(CitizenFixture.HEALTH_SPACE_URL).doesNotContain("DUPONT", "biopsie", "Tumeur", doctor);
        });
        assertThat(mail.getRecipients()).containsExactly(new MailAddress(citizen));
        assertThat(new MessageEventLog(fixture.dataSource).latest(20))
            .anySatisfy(event -> {
                assertThat(event.event()).isEqualTo("CITIZEN_NOTIFIED");
                assertThat(event.messageId()).contains("<n1@demo.mss.test>");
            });
    }

    @Test
    void theProcessorRunningAgainForTheSameMailDoesNotNotifyTheCitizenTwice() throws Exception {
        String citizen = fixture.openCitizen("twice.perso@example.org");
        String doctor = fixture.professional("dr.twice", MailboxKind.PER);
        FakeMail mail = FakeMail.builder().name("notify-twice").sender(doctor).recipient(citizen).state("local-delivery")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addHeader("Message-ID", "<n2@demo.mss.test>").setText("t"))
            .build();

        mailet().service(mail);
        // the success DSN after it found PostgreSQL unreachable: the mail (a copy, with its notes) comes back
        org.apache.mailet.Mail again = mail.duplicate();
        again.setState("local-delivery");
        mailet().service(again);

        assertThat(fixture.context.getSentMails()).hasSize(1);
    }

    @Test
    void aClosedSpaceAProfessionalOrAnUnknownCitizenIsNotNotified() throws Exception {
        String closed = fixture.closedCitizen("closed.perso@example.org");
        String colleague = fixture.professional("dr.colleague", MailboxKind.PER);
        FakeMail mail = FakeMail.builder().name("notify-2").sender("dr.other@demo.mss.test")
            .recipients(new MailAddress(closed), new MailAddress(colleague),
                new MailAddress("2910913055012" + "71@" + CitizenFixture.PATIENT_DOMAIN))
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("s").setText("t"))
            .build();

        mailet().service(mail);

        assertThat(fixture.context.getSentMails()).isEmpty();
        assertThat(mail.getRecipients()).hasSize(3);
    }

    @Test
    void anUnknownParameterFailsAtStartup() {
        NotifyCitizen mailet = new NotifyCitizen(fixture.bridge);
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("NotifyCitizen")
            .mailetContext(FakeMailContext.defaultContext()).setProperty("subject", "x").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("subject");
    }
}
