package fr.mssante.operator.extensions.citizen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.citizen.Reason;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.vocabulary.MailboxKind;

/** {@link EnforceCitizenRules} with James's mailet test kit, on the real register and rules (embedded PostgreSQL). */
class EnforceCitizenRulesTest {
    private static final String REFUSED = "citizen-refused";
    private final CitizenFixture fixture = new CitizenFixture();

    private EnforceCitizenRules mailet() throws MessagingException {
        EnforceCitizenRules mailet = new EnforceCitizenRules(fixture.bridge, fixture.registry);
        mailet.init(FakeMailetConfig.builder().mailetName("EnforceCitizenRules").mailetContext(fixture.context)
            .setProperty("refusedProcessor", REFUSED).build());
        return mailet;
    }

    private static FakeMail mail(String name, String sender, String messageId, MailAddress... recipients) throws MessagingException {
        return FakeMail.builder().name(name).sender(sender).recipients(recipients).state("transport")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addHeader("Message-ID", messageId)
                .setSubject("Compte rendu").setText("texte"))
            .build();
    }

    @Test
    void aProfessionalOfTheRegisterWritesToAnOpenCitizen() throws Exception {
        String citizen = fixture.openCitizen("a.perso@example.org");
        String doctor = fixture.professional("dr.allowed", MailboxKind.PER);
        FakeMail mail = mail("rules-1", doctor, "<r1@demo.mss.test>", new MailAddress(citizen));

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(mail.getRecipients()).containsExactly(new MailAddress(citizen));
        assertThat(mail.getAttribute(AttributeName.of("mss.citizen.refused"))).isEmpty();
        assertThat(fixture.context.getSentMails()).isEmpty();
    }

    @Test
    void aSenderWhoIsNoProfessionalIsRefusedWithItsReasonForTheDsnAndAudited() throws Exception {
        String citizen = fixture.openCitizen("b.perso@example.org");
        FakeMail mail = mail("rules-2", "someone@elsewhere.test", "<r2@elsewhere.test>", new MailAddress(citizen));

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(REFUSED);
        assertThat(mail.getAttribute(AttributeName.of("mss.citizen.refused"))).map(Attribute::getValue)
            .contains(AttributeValue.of(true));
        assertThat(reasons(mail)).containsEntry(citizen, Reason.NOT_A_PROFESSIONAL.smtpText());
        assertThat(new MessageEventLog(fixture.dataSource).latest(20)).anySatisfy(event -> {
            assertThat(event.event()).isEqualTo("CITIZEN_REFUSED");
            assertThat(event.detail()).contains(Reason.NOT_A_PROFESSIONAL.name());
        });
    }

    @Test
    void theDirectoryKindOfAnotherOperatorsMailboxCountsAsProfessional() throws Exception {
        String citizen = fixture.openCitizen("c.perso@example.org");
        FakeMail mail = mail("rules-3", "dr.far@autre-operateur.test", "<r3@autre-operateur.test>", new MailAddress(citizen));
        mail.setAttribute(new Attribute(AttributeName.of("mss.directory.sender.kind"), AttributeValue.of("PER")));

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("transport");
    }

    @Test
    void onlyTheRefusedRecipientsLeaveForTheRefusedProcessor() throws Exception {
        String closed = fixture.closedCitizen("d.perso@example.org");
        String open = fixture.openCitizen("e.perso@example.org");
        String doctor = fixture.professional("dr.mixed", MailboxKind.CAB);
        FakeMail mail = mail("rules-4", doctor, "<r4@demo.mss.test>", new MailAddress(closed), new MailAddress(open));

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(mail.getRecipients()).containsExactly(new MailAddress(open));
        assertThat(fixture.context.getSentMails()).singleElement().satisfies(sent -> {
            assertThat(sent.getRecipients()).containsExactly(new MailAddress(closed));
            assertThat(sent.getState()).isEqualTo(REFUSED);
        });
    }

    @Test
    void aCitizenMayOnlyAnswerAConversationAProfessionalStarted() throws Exception {
        String citizen = fixture.openCitizen("f.perso@example.org");
        String doctor = fixture.professional("dr.conversation", MailboxKind.PER);

        FakeMail unsolicited = mail("rules-5", citizen, "<c1@patient.mss.test>", new MailAddress(doctor));
        mailet().service(unsolicited);
        assertThat(unsolicited.getState()).isEqualTo(REFUSED);
        assertThat(reasons(unsolicited)).containsEntry(doctor, Reason.NO_CONVERSATION.smtpText());

        mailet().service(mail("rules-6", doctor, "<start@demo.mss.test>", new MailAddress(citizen)));
        FakeMail reply = FakeMail.builder().name("rules-7").sender(citizen).recipient(doctor).state("transport")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addHeader("Message-ID", "<c2@patient.mss.test>")
                .addHeader("In-Reply-To", "<start@demo.mss.test>").setSubject("Re: Compte rendu").setText("merci"))
            .build();
        mailet().service(reply);
        assertThat(reply.getState()).isEqualTo("transport");
    }

    @Test
    void mailNotConcerningACitizenIsLeftAlone() throws Exception {
        FakeMail mail = mail("rules-8", "x@elsewhere.test", "<r8@elsewhere.test>", new MailAddress("dr.b@demo.mss.test"));

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(mail.attributeNames()).isEmpty();
    }

    @Test
    void theRefusedProcessorIsRequiredAndAnUnknownParameterFailsAtStartup() {
        EnforceCitizenRules mailet = new EnforceCitizenRules(fixture.bridge, fixture.registry);
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("EnforceCitizenRules")
            .mailetContext(FakeMailContext.defaultContext()).build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("refusedProcessor");
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("EnforceCitizenRules")
            .mailetContext(FakeMailContext.defaultContext()).setProperty("refusedProcessor", REFUSED)
            .setProperty("refusedProcesor", "typo").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("refusedProcesor");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> reasons(Mail mail) {
        Map<String, AttributeValue<?>> values = (Map<String, AttributeValue<?>>) mail.getAttribute(AttributeName.of("mss.dsn.reason"))
            .orElseThrow().getValue().value();
        Map<String, String> reasons = new java.util.HashMap<>();
        values.forEach((recipient, value) -> reasons.put(recipient, (String) value.value()));
        return reasons;
    }
}
