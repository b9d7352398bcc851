package fr.mssante.operator.extensions.trustspace;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.smtp.AuditsItsRefusals;
import fr.mssante.operator.trust.policy.MessageOrigin;
import fr.mssante.operator.trust.policy.PolicyDecision;
import fr.mssante.operator.trust.policy.PolicyReason;
import fr.mssante.operator.trust.space.TrustSpace;

/**
 * The trust-space gate of the MX at the end of DATA: the {@code From:} and {@code Sender:} domains must be listed for
 * the certificate that {@link CheckOperatorCertificate} accepted at MAIL FROM, our own domains never arrive from
 * outside, and the null reverse-path carries only delivery and disposition reports (rule:
 * {@link fr.mssante.operator.trust.policy.MessageOriginPolicy}). A refusal is answered synchronously (the sending
 * operator gets the 5.7.x and bounces), nothing is stored, and an audit record {@code TRUST_SPACE_REFUSED} is written.
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.trustspace.CheckMessageOrigin"/>}</pre>
 */
public class CheckMessageOrigin implements JamesMessageHook, AuditsItsRefusals {
    private static final Logger LOGGER = LoggerFactory.getLogger(CheckMessageOrigin.class);

    private final TrustSpace trustSpace;
    private final DomainList domains;
    private final MessageEventLog audit;

    @Inject
    public CheckMessageOrigin(TrustSpace trustSpace, DomainList domains, MessageEventLog audit) {
        this.trustSpace = trustSpace;
        this.domains = domains;
        this.audit = audit;
    }

    /** Set by James's SIZE extension when the message went over the limit: it answers 552 itself, after us. */
    private static final ProtocolSession.AttachmentKey<Boolean> SIZE_EXCEEDED =
        ProtocolSession.AttachmentKey.of("MESG_FAILED", Boolean.class);

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getAttachment(SIZE_EXCEEDED, ProtocolSession.State.Transaction).orElse(false)) {
            return HookResult.DECLINED;
        }
        PolicyDecision decision;
        try {
            MimeMessage message = mail.getMessage();
            String[] from = message.getHeader("From");
            String[] sender = message.getHeader("Sender");
            String contentType = Optional.ofNullable(message.getHeader("Content-Type", null)).orElse("");
            MessageOrigin origin = new MessageOrigin(
                mail.getMaybeSender().asOptional().map(address -> address.getDomain().asString()).orElse(""),
                from == null ? 0 : from.length, domains(from), domains(sender), MimeUtility.unfold(contentType));
            decision = trustSpace.messageOrigin(origin, session.isTLSStarted() ? session.getSSLSession() : Optional.empty(),
                new LocalDomains(domains));
        } catch (MessagingException e) {
            decision = new PolicyDecision(false, PolicyReason.HEADER_FROM_INVALID, 550, "5.7.1", "unreadable message header");
        } catch (LocalDomains.Unavailable e) {
            LOGGER.warn("Domain list unavailable while checking a message of session {}", session.getSessionID(), e);
            decision = new PolicyDecision(false, PolicyReason.TRUST_LIST_UNAVAILABLE, 451, "4.3.0",
                "local domains not available, try again later");
        }
        if (decision.accepted()) {
            return HookResult.DECLINED;
        }
        record(session, mail, decision);
        return HookResult.builder()
            .hookReturnCode(decision.permanent() ? HookReturnCode.deny() : HookReturnCode.denySoft())
            .smtpReturnCode(String.valueOf(decision.smtpCode()))
            .smtpDescription(decision.enhancedStatus() + " " + decision.text())
            .build();
    }

    /** The domain of each mailbox of every field (groups expanded); an empty string for one that cannot be read. */
    static List<String> domains(String[] fields) {
        List<String> result = new ArrayList<>();
        if (fields == null) {
            return result;
        }
        for (String field : fields) {
            try {
                InternetAddress[] addresses = InternetAddress.parseHeader(MimeUtility.unfold(field), false);
                if (addresses.length == 0) {
                    result.add("");
                }
                for (InternetAddress address : addresses) {
                    if (address.isGroup()) {
                        InternetAddress[] members = address.getGroup(false);
                        if (members == null || members.length == 0) {
                            result.add("");
                        } else {
                            for (InternetAddress member : members) {
                                result.add(domain(member));
                            }
                        }
                    } else {
                        result.add(domain(address));
                    }
                }
            } catch (AddressException e) {
                result.add("");
            }
        }
        return result;
    }

    private static String domain(InternetAddress address) {
        String value = address.getAddress();
        int at = value == null ? -1 : value.lastIndexOf('@');
        return at <= 0 || at == value.length() - 1 ? "" : value.substring(at + 1);
    }

    private void record(SMTPSession session, Mail mail, PolicyDecision decision) {
        try {
            String messageId = null;
            long size = 0;
            try {
                messageId = mail.getMessage().getMessageID();
                size = mail.getMessageSize();
            } catch (MessagingException e) {
                LOGGER.debug("no Message-ID or size for the audit of session {}", session.getSessionID());
            }
            audit.append(new MessageEvent("TRUST_SPACE_REFUSED", "smtp-session-" + session.getSessionID(),
                Optional.ofNullable(messageId), mail.getMaybeSender().asOptional().map(MailAddress::asString),
                mail.getRecipients().stream().map(MailAddress::asString).collect(Collectors.toList()),
                Optional.ofNullable(session.getRemoteAddress()).map(address -> address.getAddress().getHostAddress()),
                size, Optional.of(decision.reason() + ": " + decision.text())));
        } catch (SQLException e) {
            LOGGER.error("Cannot audit a trust-space refusal ({}) of session {}", decision.reason(), session.getSessionID(), e);
        }
        LOGGER.debug("Trust space refused a message of session {} at end of DATA: {} {}", session.getSessionID(),
            decision.smtpCode(), decision.reason());
    }
}
