package fr.mssante.operator.extensions.citizen;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.Address;
import javax.mail.MessagingException;
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

import fr.mssante.operator.citizen.CitizenRules;
import fr.mssante.operator.citizen.Decision;
import fr.mssante.operator.citizen.MessageIds;
import fr.mssante.operator.citizen.PatientDomains;
import fr.mssante.operator.citizen.Reason;
import fr.mssante.operator.extensions.dsn.DsnReasons;
import fr.mssante.operator.register.MailboxRecord;
import fr.mssante.operator.register.MailboxRegistry;
import fr.mssante.operator.vocabulary.MailboxKind;

/**
 * Applies the citizen rules ({@link CitizenRules}) to every mail, both ways, whatever way it came in (our
 * professionals' submission, the MX from other operators or the national patient domain, the health space's
 * submission as a citizen):
 * <ul>
 *   <li>to a citizen: a valid INS, an open space where we serve it, a professional sender (PER, ORG, APP, CAB: our
 *       register's mailbox type, else the national directory's for another operator's mailbox), 25 Mo at most; an
 *       allowed message is remembered (Message-ID, conversation, FIN) for the citizen's replies;</li>
 *   <li>from a citizen: only a reply inside a conversation the recipient started and did not end, or to a listed
 *       pharmacy within its window; 25 Mo at most; the citizen's space open.</li>
 * </ul>
 * Refused recipients leave the mail for {@code refusedProcessor} with their reason (code and French text) for the DSN;
 * each refusal is audited with its reason code.
 *
 * <pre>{@code
 * <mailet match="All" class="fr.mssante.operator.extensions.citizen.EnforceCitizenRules">
 *   <refusedProcessor>citizen-refused</refusedProcessor>
 * </mailet>
 * }</pre>
 */
public class EnforceCitizenRules extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(EnforceCitizenRules.class);
    private static final AttributeName DIRECTORY_SENDER_KIND = AttributeName.of("mss.directory.sender.kind");

    record Parameters(String refusedProcessor) {
    }

    private final CitizenBridge bridge;
    private final MailboxRegistry registry;
    private Parameters parameters;

    @Inject
    public EnforceCitizenRules(CitizenBridge bridge, MailboxRegistry registry) {
        this.bridge = bridge;
        this.registry = registry;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("refusedProcessor"));
        String processor = getInitParameter("refusedProcessor");
        if (processor == null || processor.isBlank()) {
            throw new MessagingException(getMailetName() + ": refusedProcessor is required");
        }
        parameters = new Parameters(processor.trim());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PatientDomains domains = bridge.patientDomains();
        Optional<String> sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).map(a -> a.toLowerCase(Locale.ROOT));
        // our own mails from ne-pas-repondre@<patient domain> (notifications, login codes) are no citizen's
        boolean ours = mail.getAttribute(Mail.SENT_BY_MAILET_ATTRIBUTE.getName()).isPresent();
        Optional<PatientDomains.Parsed> fromCitizen = sender.flatMap(domains::citizen).filter(parsed -> parsed.valid() || !ours);
        boolean concerned = fromCitizen.isPresent() || mail.getRecipients().stream().anyMatch(r -> domains.contains(r.asString()));
        if (!concerned) {
            return;
        }
        MimeMessage message = mail.getMessage();
        long size = mail.getMessageSize();
        List<String> references = MessageIds.in(message.getHeader("In-Reply-To", " "), message.getHeader("References", " "));
        Map<MailAddress, Reason> refused = new LinkedHashMap<>();
        List<String> toRecord = new ArrayList<>();
        List<String> answered = new ArrayList<>();
        try {
            for (MailAddress recipient : mail.getRecipients()) {
                Optional<PatientDomains.Parsed> toCitizen = domains.citizen(recipient.asString());
                Decision decision;
                if (toCitizen.isPresent()) {
                    if (!toCitizen.get().valid()) {
                        decision = Decision.refused(Reason.INVALID_INS);
                    } else if (fromCitizen.isPresent()) {
                        decision = Decision.refused(Reason.NOT_A_PROFESSIONAL);
                    } else if (sender.isEmpty()) {
                        // a delivery report about the citizen's own message: it must reach them
                        decision = bridge.rules().toCitizen(bridge.space(toCitizen.get().address()), Optional.of(MailboxKind.APP), 0);
                    } else {
                        decision = bridge.rules().toCitizen(bridge.space(toCitizen.get().address()), kindOf(sender.get(), mail), size);
                        if (decision.allowed()) {
                            toRecord.add(toCitizen.get().address());
                        }
                    }
                } else if (fromCitizen.isPresent()) {
                    decision = fromCitizen.get().valid()
                        ? bridge.rules().fromCitizen(fromCitizen.get().address(), bridge.space(fromCitizen.get().address()),
                            recipient.asString(), references, size)
                        : Decision.refused(Reason.INVALID_INS);
                    if (decision.allowed()) {
                        answered.add(recipient.asString());
                    }
                } else {
                    continue;
                }
                if (!decision.allowed()) {
                    refused.put(recipient, decision.reason());
                }
            }
        } catch (SQLException e) {
            throw new MessagingException("cannot read the citizen register", e);
        }
        String messageId = Optional.ofNullable(message.getMessageID()).orElse("");
        if (!messageId.isBlank() && sender.isPresent()) {
            boolean ends = CitizenRules.ends(Optional.ofNullable(message.getHeader(CitizenRules.END_HEADER, ",")),
                Optional.ofNullable(message.getSubject()));
            Optional<String> replyTo = replyTo(message);
            for (String citizen : toRecord) {
                bridge.rules().recordSent(citizen, sender.get(), replyTo, messageId, references, ends);
            }
            for (String professional : answered) {
                bridge.rules().recordReply(sender.get(), professional, messageId, references);
            }
        }
        if (!refused.isEmpty()) {
            refuse(mail, refused, sender, messageId);
        }
    }

    private void refuse(Mail mail, Map<MailAddress, Reason> refused, Optional<String> sender, String messageId) throws MessagingException {
        refused.forEach((recipient, reason) -> {
            String citizen = bridge.patientDomains().contains(recipient.asString()) ? recipient.asString() : sender.orElse("");
            bridge.audit("CITIZEN_REFUSED", citizen, Optional.of(messageId).filter(id -> !id.isBlank()), sender, reason.name());
            // the address is in the audit row (hashed when a patient's); the log names only the mail and the reason
            LOGGER.debug("{}: a recipient refused ({})", mail.getName(), reason);
        });
        List<MailAddress> remaining = mail.getRecipients().stream().filter(r -> !refused.containsKey(r)).toList();
        Mail bounce = remaining.isEmpty() ? mail : mail.duplicate();
        bounce.setRecipients(List.copyOf(refused.keySet()));
        refused.forEach((recipient, reason) -> DsnReasons.put(bounce, recipient, reason.smtpText(), Optional.empty()));
        bounce.setAttribute(new Attribute(AttributeName.of("mss.citizen.refused"), AttributeValue.of(true)));
        if (remaining.isEmpty()) {
            mail.setState(parameters.refusedProcessor());
            return;
        }
        getMailetContext().sendMail(bounce, parameters.refusedProcessor());
        mail.setRecipients(remaining);
    }

    /** The sender's kind: our register's mailbox type (active mailboxes), else the national directory's. */
    private Optional<MailboxKind> kindOf(String sender, Mail mail) throws SQLException {
        Optional<MailboxRecord> ours = registry.find(sender);
        if (ours.isPresent()) {
            return ours.get().state().usable() ? Optional.of(ours.get().kind()) : Optional.empty();
        }
        return mail.getAttribute(DIRECTORY_SENDER_KIND).map(Attribute::getValue).map(AttributeValue::value)
            .filter(String.class::isInstance).map(String.class::cast)
            .flatMap(MailboxKind::parse);
    }

    private static Optional<String> replyTo(MimeMessage message) {
        try {
            Address[] addresses = message.getReplyTo();
            Address[] from = message.getFrom();
            if (addresses == null || addresses.length == 0 || (from != null && Arrays.equals(addresses, from))) {
                return Optional.empty();
            }
            return addresses[0] instanceof InternetAddress internet ? Optional.ofNullable(internet.getAddress()) : Optional.empty();
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getMailetInfo() {
        return "Applies the citizen messaging rules";
    }
}
