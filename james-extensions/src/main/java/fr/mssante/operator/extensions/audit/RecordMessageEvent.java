package fr.mssante.operator.extensions.audit;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.audit.AuditTypes;
import fr.mssante.operator.extensions.database.MailEffects;
import fr.mssante.operator.extensions.smtp.RecordSmtpRefusals;

/**
 * Records one audit event (envelope and identifiers, never content) for the mail passing through. A failure to write
 * the audit row fails the mail (to {@code mailet-failed}: back to the spool while the database is unreachable, else
 * the error processor), so that no message moves on unaudited. Once per recipient: when the processor runs again for
 * the same mail (after a database outage), the recipients already audited for this event are not audited again
 * ({@link MailEffects}).
 *
 * <pre>{@code
 * <mailet match="All" class="fr.mssante.operator.extensions.audit.RecordMessageEvent">
 *   <event>RECEIVED</event>
 * </mailet>
 * }</pre>
 *
 * Parameters: {@code event} (required, upper-case word such as RECEIVED, DELIVERED, RELAYED, BOUNCED).
 */
public class RecordMessageEvent extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(RecordMessageEvent.class);

    record Parameters(String event) {
        Parameters {
            if (event == null || !event.matches("[A-Z][A-Z_]{1,39}")) {
                throw new IllegalArgumentException("'event' must be an upper-case word (A-Z and _), got " + event);
            }
        }
    }

    /** When we accepted the mail (epoch milliseconds), set at RECEIVED: the delivery latency is measured from it. */
    public static final AttributeName RECEIVED_AT = AttributeName.of("mss.receivedAt");
    /** Set by the SMTP listener ({@code RecordSmtpRefusals}): the DN of the peer's certificate. */
    static final AttributeName PEER_CERTIFICATE = RecordSmtpRefusals.PEER_CERTIFICATE;

    private final MessageEventLog log;
    private final Clock clock;
    private Parameters parameters;

    @Inject
    public RecordMessageEvent(MessageEventLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("event"));
        try {
            parameters = new Parameters(getInitParameter("event"));
        } catch (IllegalArgumentException e) {
            throw new MessagingException(getMailetName() + ": " + e.getMessage());
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        // once per recipient: the processor may run again for this mail after a database outage
        String effect = "audit-" + parameters.event();
        List<MailAddress> recipients = MailEffects.pending(mail, effect);
        boolean none = mail.getRecipients().isEmpty();
        if (none ? MailEffects.done(mail, effect) : recipients.isEmpty()) {
            LOGGER.debug("{} already audited for {}", parameters.event(), mail.getName());
            return;
        }
        MessageEvent event = new MessageEvent(parameters.event(), mail.getName(),
            Optional.ofNullable(mail.getMessage().getMessageID()),
            mail.getMaybeSender().asOptional().map(MailAddress::asString),
            recipients.stream().map(MailAddress::asString).toList(),
            Optional.ofNullable(mail.getRemoteAddr()),
            mail.getMessageSize(),
            AttributeUtils.getValueAndCastFromMail(mail, PEER_CERTIFICATE, String.class)
                .map(dn -> "peer certificate " + dn));
        try {
            log.append(event);
        } catch (SQLException e) {
            throw new MessagingException("Cannot record audit event " + parameters.event() + " for " + mail.getName(), e);
        }
        if (none) {
            MailEffects.record(mail, effect);
        }
        recipients.forEach(recipient -> MailEffects.record(mail, effect, recipient));
        if (parameters.event().equals(AuditTypes.RECEIVED)) {
            mail.setAttribute(new Attribute(RECEIVED_AT, AttributeValue.of(clock.millis())));
        } else if (parameters.event().equals(AuditTypes.DELIVERED)) {
            log.delivered(mail);
        }
        LOGGER.debug("Audited {} for {}", parameters.event(), mail.getName());
    }

    /** How long since the mail was accepted, when it carries its acceptance time. */
    public static Optional<Duration> deliveryLatency(Mail mail, Clock clock) {
        return AttributeUtils.getValueAndCastFromMail(mail, RECEIVED_AT, Long.class)
            .map(received -> Duration.ofMillis(clock.millis() - received));
    }

    @Override
    public String getMailetInfo() {
        return "Records an audit event for the mail (no content)";
    }
}
