package fr.mssante.operator.extensions.dmp;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.audit.AuditTypes;
import fr.mssante.operator.authentication.AuthenticatedPrincipal;
import fr.mssante.operator.authentication.Authentication;
import fr.mssante.operator.authentication.MailboxAccess;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.EnqueueResult;
import fr.mssante.operator.dmp.outbox.FiledDocument;
import fr.mssante.operator.dmp.outbox.Submission;
import fr.mssante.operator.documents.attribution.FilingAttribution;
import fr.mssante.operator.documents.attribution.FilingAttribution.Attribution;
import fr.mssante.operator.documents.feedback.DocumentReference;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.documents.feedback.IntegrationErrorNotice;
import fr.mssante.operator.documents.filing.DmpFilingPolicy;
import fr.mssante.operator.documents.filing.FilingRule;
import fr.mssante.operator.documents.filing.HealthDocumentReader;
import fr.mssante.operator.documents.replacement.FiledVersion;
import fr.mssante.operator.documents.replacement.ReplacementRule;
import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.authentication.SubmissionPrincipal;

/**
 * Files the CDA documents a sender's policy selects ({@link DmpFilingPolicy}: e.g. every CR-BIO a lab's APP mailbox
 * sends) into the DMP outbox, from which the connector JVM files them (ITI-41). The message itself goes on unchanged to
 * its recipients. Whatever is not filed is told to the sender with the MSSanté integration error notification and
 * audited ({@code DMP_NOT_FILED} in {@code mss.message_event}, codes only):
 * <ul>
 *   <li>a document the documents library finds unfit (INS missing 903, mismatching 904, incomplete 905, of another
 *       environment or otherwise unusable 906): the code is the library's ({@code AnalyzedDocument#integrationError});
 *       this mailet never maps problems to codes itself;</li>
 *   <li>a replacement ({@code relatedDocument RPLC}) of a version we took that the requester did not author and whose
 *       organisation is not theirs (901), or that is no longer the latest version (900): {@link ReplacementRule};</li>
 *   <li>a health package that could not be read at all (zip bomb, zip slip, too many entries, truncated, DTD/XXE,
 *       nesting too deep…): 906, the volet's code for an error none of 900–905 describes; as the document types inside
 *       are unknown, any filing policy but NONE is told;</li>
 *   <li>a document that cannot be filed on anyone's behalf (906): who acts is decided by {@link FilingAttribution} from
 *       how the submission was proven ({@link SubmissionPrincipal}, set from the SMTP session), never from the sender
 *       address alone — a person's access token files as that person, a personal mailbox's own secret as its holder,
 *       an APP/ORG mailbox as its structure, and the shared password of a practice (CAB) mailbox as no one.</li>
 * </ul>
 * Enqueueing is idempotent on (Message-ID, document id): the same message processed twice never files twice.
 * <pre>{@code <mailet match="SMTPAuthSuccessful" class="fr.mssante.operator.extensions.dmp.FileHealthDocuments"/>}</pre>
 */
public class FileHealthDocuments extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileHealthDocuments.class);
    public static final AttributeName QUEUED = AttributeName.of("mss.dmp.queued");
    public static final String AUDIT_EVENT = "DMP_NOT_FILED";

    private final DmpFilingPolicy policy;
    private final DmpOutbox outbox;
    private final HealthDocumentReader reader;
    private final Authentication authentication;
    private final MessageEventLog audit;
    private final Clock clock;

    @Inject
    public FileHealthDocuments(DmpFilingPolicy policy, DmpOutbox outbox, HealthDocumentReader reader, Authentication authentication,
                        MessageEventLog audit, Clock clock) {
        this.policy = policy;
        this.outbox = outbox;
        this.reader = reader;
        this.authentication = authentication;
        this.audit = audit;
        this.clock = clock;
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
        String sender = mail.getMaybeSender().get().asString().toLowerCase(Locale.ROOT);
        FilingRule rule;
        try {
            rule = policy.ruleFor(sender);
        } catch (SQLException e) {
            throw new MessagingException("cannot read the DMP filing policy", e);
        }
        if (rule == FilingRule.NONE) {
            return;
        }
        MimeMessage message = mail.getMessage();
        String messageId = Optional.ofNullable(message.getMessageID()).orElse("<" + mail.getName() + ">");
        HealthDocumentReader.Reading reading = reader.read(message);
        if (!reading.unreadable().isEmpty()) {
            // one notice for the message: the package could not be read, so there is no document to name
            IntegrationErrorCode error = reading.unreadable().stream().map(HealthDocumentReader.Unreadable::error)
                .min(Comparator.comparingInt(IntegrationErrorCode::code)).orElseThrow();
            List<String> codes = reading.unreadable().stream().map(HealthDocumentReader.Unreadable::problemCode).distinct().toList();
            notifySender(mail, sender, null, error, "le paquet de documents n'a pas pu être lu (" + String.join(", ", codes)
                + ") ; aucun document n'a été intégré depuis ce paquet.", "package " + String.join(",", codes));
        }
        int queued = 0;
        Attribution attribution = null;
        for (HealthDocumentReader.Document document : reading.documents()) {
            if (!rule.files(document.typeCode(), document.typeCodeSystem())) {
                continue;
            }
            if (attribution == null) {
                attribution = attribution(mail, sender);
            }
            if (attribution instanceof Attribution.NotAttributable refused) {
                notifySender(mail, sender, document, refused.code(), refused.reason(), "document " + document.documentId() + " "
                    + refused.audit());
                continue;
            }
            Optional<IntegrationErrorCode> error = document.error().or(() -> replacementError(document));
            if (error.isPresent() || document.metadata().isEmpty()) {
                IntegrationErrorCode code = error.orElse(IntegrationErrorCode.OTHER);
                notifySender(mail, sender, document, code, null,
                    "document " + document.documentId() + " " + document.problem().orElse(code == IntegrationErrorCode.VERSION_INCORRECT
                        || code == IntegrationErrorCode.AUTHOR_NOT_ALLOWED ? "REPLACEMENT_REFUSED" : "UNFIT"));
                continue;
            }
            String actor = ((Attribution.OnBehalfOf) attribution).identity();
            EnqueueResult result = outbox.enqueue(new Submission(messageId, sender, actor, "text/xml", document.cda(),
                document.pdf().orElse(null), document.metadata().get()));
            if (result.created()) {
                queued++;
                try {
                    audit.journal().append(AuditRecord.of(AuditTypes.DMP_QUEUED).mailName(mail.getName()).messageId(messageId)
                        .sender(sender).recipients(mail.getRecipients().stream().map(MailAddress::asString).toList())
                        .actor(actor).detail("document " + document.documentId()));
                } catch (SQLException e) {
                    throw new MessagingException("cannot audit the DMP filing of " + mail.getName(), e);
                }
            }
        }
        if (queued > 0) {
            LOGGER.info("{}: {} document(s) queued for the DMP", mail.getName(), queued);
        }
        mail.setAttribute(new Attribute(QUEUED, AttributeValue.of(queued)));
    }

    /** On whose behalf this mail's documents are filed: from the submission's principal and the register's sender entry. */
    private Attribution attribution(Mail mail, String sender) throws MessagingException {
        Optional<FilingAttribution.Submitter> submitter = SubmissionPrincipal.of(mail).map(FileHealthDocuments::submitter);
        Optional<FilingAttribution.SenderMailbox> entry;
        try {
            entry = authentication.access().find(sender).map(FileHealthDocuments::senderMailbox);
        } catch (SQLException e) {
            throw new MessagingException("cannot read the register", e);
        }
        Attribution attribution = FilingAttribution.of(submitter, sender, entry);
        if (attribution instanceof Attribution.OnBehalfOf onBehalf) {
            LOGGER.debug("{}: documents filed on behalf of the submitter ({})", mail.getName(), onBehalf.basis());
        }
        return attribution;
    }

    private static FilingAttribution.Submitter submitter(AuthenticatedPrincipal principal) {
        if (principal instanceof AuthenticatedPrincipal.CitizenGateway gateway) {
            // a citizen's reply: no professional files anything on its behalf
            return new FilingAttribution.Submitter.MailboxSecret(gateway.citizen());
        }
        return principal instanceof AuthenticatedPrincipal.Person person ? new FilingAttribution.Submitter.Person(person.identity())
            : new FilingAttribution.Submitter.MailboxSecret(((AuthenticatedPrincipal.MailboxCredential) principal).mailbox());
    }

    private static FilingAttribution.SenderMailbox senderMailbox(MailboxAccess.Entry entry) {
        return new FilingAttribution.SenderMailbox(entry.address(), entry.kind(), entry.holderId());
    }

    /** 900/901 for a replacement of a version we took (the rule is the documents library's). */
    private Optional<IntegrationErrorCode> replacementError(HealthDocumentReader.Document document) {
        return document.replaces().flatMap(request -> {
            List<FiledVersion> versions = outbox.versionsOf(request.replacedDocumentId()).stream()
                .map(FileHealthDocuments::version).toList();
            return ReplacementRule.check(request, versions);
        });
    }

    private static FiledVersion version(FiledDocument filed) {
        return new FiledVersion(filed.documentUniqueId(), Optional.ofNullable(filed.setId()), Optional.ofNullable(filed.authorNationalId()),
            Optional.ofNullable(filed.institutionId()), filed.createdAt());
    }

    private void notifySender(Mail mail, String sender, HealthDocumentReader.Document document, IntegrationErrorCode error,
                              String detail, String auditDetail) throws MessagingException {
        String recipient = mail.getRecipients().stream().findFirst().map(Object::toString).orElse(sender);
        String domain = sender.substring(sender.indexOf('@') + 1);
        // the volet's integration error MDN: human part, disposition, the original message, its IHE_XDM.ZIP and PDF
        IntegrationErrorNotice.Builder notice = IntegrationErrorNotice.builder(clock)
            .from(new InternetAddress("mailer-daemon@" + domain))
            .to(new InternetAddress(sender))
            .finalRecipient(recipient)
            .originalRecipient(recipient)
            .original(mail.getMessage())
            .code(error)
            .detail(detail)
            .reportingUa(domain + "; MSSante operator");
        if (document != null) {
            notice.document(DocumentReference.of(document.title(), document.documentId(), null));
        }
        getMailetContext().sendMail(notice.build(Session.getInstance(new Properties())));
        try {
            audit.append(new MessageEvent(AUDIT_EVENT, mail.getName(), Optional.ofNullable(mail.getMessage().getMessageID()),
                Optional.of(sender), mail.getRecipients().stream().map(MailAddress::asString).toList(),
                Optional.ofNullable(mail.getRemoteAddr()), mail.getMessageSize(), Optional.of(error.code() + " " + auditDetail)));
        } catch (SQLException e) {
            throw new MessagingException("cannot audit the integration error of " + mail.getName(), e);
        }
        LOGGER.info("{}: not filed into the DMP (code {}), sender notified", mail.getName(), error.code());
    }

    @Override
    public String getMailetInfo() {
        return "Queues the health documents a sender's DMP policy selects into the DMP outbox";
    }
}
