package fr.mssante.operator.extensions.dmp;

import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.EnqueueResult;
import fr.mssante.operator.dmp.outbox.Submission;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.extensions.authentication.Authentication;

/**
 * Files the CDA documents a sender's policy selects ({@link DmpFilingPolicy}: e.g. every CR-BIO a lab's APP mailbox
 * sends) into the DMP outbox, from which the connector JVM files them (ITI-41). The message itself goes on unchanged to
 * its recipients. A document whose INS is missing, invalid or incomplete is not filed and the sender gets the
 * MSSanté integration error notification (903, 904, 905). Enqueueing is idempotent on (Message-ID, document id):
 * the same message processed twice never files twice.
 * <pre>{@code <mailet match="SMTPAuthSuccessful" class="fr.mssante.operator.extensions.dmp.FileHealthDocuments"/>}</pre>
 */
public class FileHealthDocuments extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileHealthDocuments.class);
    public static final AttributeName QUEUED = AttributeName.of("mss.dmp.queued");

    private final DmpFilingPolicy policy;
    private final DmpOutbox outbox;
    private final HealthDocumentReader reader;
    private final Authentication authentication;

    @Inject
    public FileHealthDocuments(DmpFilingPolicy policy, DmpOutbox outbox, HealthDocumentReader reader, Authentication authentication) {
        this.policy = policy;
        this.outbox = outbox;
        this.reader = reader;
        this.authentication = authentication;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getMaybeSender().isNullSender()) {
            return;
        }
        String sender = mail.getMaybeSender().get().asString().toLowerCase(java.util.Locale.ROOT);
        FilingRule rule;
        try {
            rule = policy.ruleFor(sender);
        } catch (java.sql.SQLException e) {
            throw new MessagingException("cannot read the DMP filing policy", e);
        }
        if (rule == FilingRule.NONE) {
            return;
        }
        MimeMessage message = mail.getMessage();
        String messageId = Optional.ofNullable(message.getMessageID()).orElse("<" + mail.getName() + ">");
        HealthDocumentReader.Reading reading = reader.read(message);
        reading.problems().forEach(problem -> LOGGER.info("{}: a part was not read for DMP filing: {}", mail.getName(), problem));
        int queued = 0;
        for (HealthDocumentReader.Document document : reading.documents()) {
            if (!rule.files(document.typeCode(), document.typeCodeSystem())) {
                continue;
            }
            if (document.ins() != HealthDocumentReader.InsCheck.VALID || document.metadata().isEmpty()) {
                IntegrationErrorCode error = switch (document.ins()) {
                    case MISSING -> IntegrationErrorCode.INS_MISSING;
                    case INVALID -> IntegrationErrorCode.INS_MISMATCH;
                    case INCOMPLETE -> IntegrationErrorCode.INS_INCOMPLETE;
                    case VALID -> IntegrationErrorCode.OTHER;
                };
                notifySender(mail, sender, messageId, document, error);
                continue;
            }
            String senderNationalId;
            try {
                senderNationalId = authentication.access().identityOf(sender).orElse(null);
            } catch (java.sql.SQLException e) {
                throw new MessagingException("cannot read the register", e);
            }
            EnqueueResult result = outbox.enqueue(new Submission(messageId, sender, senderNationalId, "text/xml", document.cda(),
                document.pdf().orElse(null), document.metadata().get()));
            if (result.created()) {
                queued++;
            }
        }
        if (queued > 0) {
            LOGGER.info("{}: {} document(s) queued for the DMP", mail.getName(), queued);
        }
        mail.setAttribute(new Attribute(QUEUED, AttributeValue.of(queued)));
    }

    private void notifySender(Mail mail, String sender, String messageId, HealthDocumentReader.Document document,
                              IntegrationErrorCode error) throws MessagingException {
        String recipient = mail.getRecipients().stream().findFirst().map(Object::toString).orElse(sender);
        String domain = sender.substring(sender.indexOf('@') + 1);
        // the volet's integration error MDN: human part, disposition, the original message, its IHE_XDM.ZIP and PDF
        getMailetContext().sendMail(fr.mssante.operator.documents.feedback.IntegrationErrorNotice.builder(java.time.Clock.systemUTC())
            .from(new javax.mail.internet.InternetAddress("mailer-daemon@" + domain))
            .to(new javax.mail.internet.InternetAddress(sender))
            .finalRecipient(recipient)
            .originalRecipient(recipient)
            .original(mail.getMessage())
            .code(error)
            .detail(document.problem().orElse(null))
            .document(fr.mssante.operator.documents.feedback.DocumentReference.of(document.title(), document.documentId(), null))
            .reportingUa(domain + "; MSSante operator")
            .build(javax.mail.Session.getInstance(new java.util.Properties())));
        LOGGER.info("{}: document {} not filed ({}), sender notified", mail.getName(), document.documentId(), error.code());
    }

    @Override
    public String getMailetInfo() {
        return "Queues the health documents a sender's DMP policy selects into the DMP outbox";
    }
}
