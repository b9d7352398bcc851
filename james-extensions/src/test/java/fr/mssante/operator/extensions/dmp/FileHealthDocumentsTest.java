package fr.mssante.operator.extensions.dmp;

import fr.mssante.operator.documents.filing.FilingRule;
import fr.mssante.operator.documents.filing.DmpFilingPolicy;
import fr.mssante.operator.documents.filing.AnalyzedDocumentReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.sql.DataSource;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.DmpOutboxDatabase;
import fr.mssante.operator.dmp.outbox.RetryPolicy;
import fr.mssante.operator.documents.analysis.AnalyzerSettings;
import fr.mssante.operator.documents.analysis.HealthDocumentAnalyzer;
import fr.mssante.operator.documents.ins.Environment;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;
import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.audit.TestJournals;
import fr.mssante.operator.authentication.AuthenticatedPrincipal;
import fr.mssante.operator.authentication.Authentication;
import fr.mssante.operator.authentication.MailboxAccess;
import fr.mssante.operator.extensions.authentication.SubmissionPrincipal;
import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.register.MailboxRecord;
import fr.mssante.operator.register.MailboxRegistry;
import fr.mssante.operator.vocabulary.MailboxState;
import fr.mssante.operator.extensions.testing.TestDatabase;
import fr.mssante.operator.testsupport.MutableClock;

/**
 * {@link FileHealthDocuments} with James's mailet test kit, on the real register, filing policy and DMP outbox
 * (embedded PostgreSQL) and the real documents library: a lab's CR-BIO is queued once on behalf of its structure,
 * an unfit document or one nobody can be accountable for is told to the sender (integration error notice) and audited.
 */
class FileHealthDocumentsTest {
    private static final String STRUCTURE = "810000000099";
    private static DataSource dataSource;
    private static DmpFilingPolicy policy;
    private static DmpOutbox outbox;
    private static int next;

    private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
    private final FakeMailContext context = FakeMailContext.defaultContext();

    @BeforeAll
    static void database() {
        dataSource = TestDatabase.dataSource();
        DmpOutboxDatabase.migrate(dataSource);
        policy = new DmpFilingPolicy(dataSource);
        outbox = new DmpOutbox(dataSource, MutableClock.at("2026-12-07T10:00:00Z"), RetryPolicy.DEFAULT);
    }

    private FileHealthDocuments mailet() throws MessagingException {
        Authentication authentication = new Authentication(new MailboxAccess(dataSource, clock), null, null, Optional.empty(),
            Optional.empty(), null, null, null, clock);
        FileHealthDocuments mailet = new FileHealthDocuments(policy, outbox,
            new AnalyzedDocumentReader(new HealthDocumentAnalyzer(AnalyzerSettings.defaults(Environment.TEST)), clock),
            authentication, TestJournals.log(dataSource), clock);
        mailet.init(FakeMailetConfig.builder().mailetName("FileHealthDocuments").mailetContext(context).build());
        return mailet;
    }

    /** A mailbox of our register with a filing rule; returns its address. */
    private static String mailbox(String localPart, MailboxKind kind, FilingRule rule) throws Exception {
        String address = localPart + "-" + (++next) + "@demo.mss.test";
        new MailboxRegistry(dataSource, java.time.Clock.systemUTC()).create(new MailboxRecord(address, kind, STRUCTURE, Optional.empty(), Optional.empty(),
            false, Optional.empty(), MailboxState.ACTIVE, Instant.parse("2026-01-01T00:00:00Z"), Optional.empty()), "test");
        policy.set("MAILBOX", address, rule);
        return address;
    }

    /** Sent by {@code sender} over an SMTP session authenticated with the mailbox's own password. */
    private static FakeMail sent(String sender, String messageId, TestDocuments.Cda cda) throws Exception {
        byte[] xdm = TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", cda)), false);
        MimeBodyPart attachment = TestDocuments.attachment(xdm, "IHE_XDM.ZIP", "application/zip");
        MimeMessage message = TestDocuments.message("CR-BIO", TestDocuments.text("Résultats en pièce jointe"), attachment);
        message.setHeader("Message-ID", messageId);
        message.saveChanges();
        message.setHeader("Message-ID", messageId);
        FakeMail mail = FakeMail.builder().name(messageId).sender(sender).recipient("dr.b@demo.mss.test").mimeMessage(message).build();
        mail.setAttribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of(sender)));
        SubmissionPrincipal.attach(mail, new AuthenticatedPrincipal.MailboxCredential(sender, AuthenticatedPrincipal.Proof.PASSWORD), sender);
        return mail;
    }

    private static List<String> queued(String messageId) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT mailbox, coalesce(sender_national_id, ''), state FROM dmp.submission WHERE message_id = ?")) {
            query.setString(1, messageId);
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(row.getString(1) + " " + row.getString(2) + " " + row.getString(3));
                }
            }
        }
        return rows;
    }

    private static List<MessageEvent> events(String mailName) throws Exception {
        return new MessageEventLog(dataSource).latest(200).stream().filter(event -> event.mailName().equals(mailName)).toList();
    }

    @Test
    void aLabsReportIsQueuedOnceOnBehalfOfItsStructureAndTheMessageGoesOn() throws Exception {
        String lab = mailbox("labo", MailboxKind.APP, FilingRule.CR_BIO);
        FakeMail mail = sent(lab, "<cr-1@demo.mss.test>", TestDocuments.cda().withId("1.2.250.1.999.7", "CR-1"));

        mailet().service(mail);
        FakeMail again = sent(lab, "<cr-1@demo.mss.test>", TestDocuments.cda().withId("1.2.250.1.999.7", "CR-1"));
        mailet().service(again);

        assertThat(queued("<cr-1@demo.mss.test>")).singleElement().satisfies(row -> assertThat(row)
            .startsWith(lab + " ").contains(STRUCTURE).endsWith(" QUEUED"));
        assertThat(mail.getAttribute(FileHealthDocuments.QUEUED)).map(Attribute::getValue).contains(AttributeValue.of(1));
        assertThat(again.getAttribute(FileHealthDocuments.QUEUED)).map(Attribute::getValue).contains(AttributeValue.of(0));
        assertThat(mail.getState()).isNotEqualTo(Mail.GHOST);
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void aDocumentWithoutInsIsNotFiledAndTheSenderGetsThe903Notice() throws Exception {
        String lab = mailbox("labo-noins", MailboxKind.APP, FilingRule.CR_BIO);
        FakeMail mail = sent(lab, "<cr-2@demo.mss.test>", TestDocuments.cda().withId("1.2.250.1.999.7", "CR-2").withIns(null, null));

        mailet().service(mail);

        assertThat(queued("<cr-2@demo.mss.test>")).isEmpty();
        assertThat(context.getSentMails()).singleElement().satisfies(notice -> {
            assertThat(notice.getMsg().getRecipients(javax.mail.Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly(lab);
            assertThat(notice.getMsg().getSubject()).contains("[903]");
        });
        assertThat(events("<cr-2@demo.mss.test>")).singleElement().satisfies(event -> {
            assertThat(event.event()).isEqualTo(FileHealthDocuments.AUDIT_EVENT);
            assertThat(event.detail()).hasValueSatisfying(detail -> assertThat(detail).startsWith("903 "));
        });
    }

    @Test
    void aPracticesSharedPasswordFilesOnNobodysBehalf906() throws Exception {
        String practice = mailbox("cabinet", MailboxKind.CAB, FilingRule.ALL_CDA);
        FakeMail mail = sent(practice, "<cr-3@demo.mss.test>", TestDocuments.cda().withId("1.2.250.1.999.7", "CR-3"));

        mailet().service(mail);

        assertThat(queued("<cr-3@demo.mss.test>")).isEmpty();
        assertThat(context.getSentMails()).singleElement()
            .satisfies(notice -> assertThat(notice.getMsg().getSubject()).contains("[906]"));
    }

    @Test
    void aSenderWithoutAFilingPolicyIsLeftAlone() throws Exception {
        String doctor = mailbox("dr.none", MailboxKind.PER, FilingRule.NONE);
        FakeMail mail = sent(doctor, "<cr-4@demo.mss.test>", TestDocuments.cda().withId("1.2.250.1.999.7", "CR-4"));

        mailet().service(mail);

        assertThat(queued("<cr-4@demo.mss.test>")).isEmpty();
        assertThat(mail.getAttribute(FileHealthDocuments.QUEUED)).isEmpty();
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void anUnknownParameterFailsAtStartup() {
        FileHealthDocuments mailet = new FileHealthDocuments(policy, outbox, null, null, null, clock);
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("FileHealthDocuments")
            .setProperty("rule", "ALL").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("rule");
    }
}
