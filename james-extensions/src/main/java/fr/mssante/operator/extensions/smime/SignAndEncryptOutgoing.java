package fr.mssante.operator.extensions.smime;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.extensions.database.MailEffects;
import fr.mssante.operator.smime.crypto.Outcome;
import fr.mssante.operator.smime.encrypt.EncryptOptions;
import fr.mssante.operator.smime.encrypt.MessageEncryptor;
import fr.mssante.operator.smime.policy.EncryptMode;
import fr.mssante.operator.smime.policy.OutboundDecision;
import fr.mssante.operator.smime.policy.OutboundPlanner;
import fr.mssante.operator.smime.sign.MessageSigner;
import fr.mssante.operator.smime.sign.SignOptions;

/**
 * Signs, then encrypts, outgoing mail according to the S/MIME policy of the sender (operator → domain → mailbox):
 * signing with the mailbox's key (or the operator's), encrypting to the recipients' known certificates. When the
 * policy requires encryption and a recipient has no certificate, the mail does not leave: the sender gets a bounce
 * naming the recipients. A store outage sends the mail to the error processor (kept, not sent in clear).
 *
 * <p>An encrypted message names every certificate it is encrypted for (issuer and serial of each RecipientInfo), and
 * every recipient can read that list. So one envelope is shared only by recipients who can already see each other
 * (To and Cc): each other recipient (Bcc, or an address the headers do not show) gets its own copy, encrypted for
 * that recipient alone (and the sender). No recipient learns from the envelope who else received the message.
 *
 * <p>Once: when the processor runs again for the mail after a database outage, a message already signed and
 * encrypted here is left as it is ({@link MailEffects}), never wrapped a second time.
 *
 * <pre>{@code
 * <mailet match="All" class="fr.mssante.operator.extensions.smime.SignAndEncryptOutgoing">
 *   <bounceProcessor>bounces</bounceProcessor>
 * </mailet>
 * }</pre>
 */
public class SignAndEncryptOutgoing extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(SignAndEncryptOutgoing.class);
    private static final String APPLIED = "smime-signed-encrypted";

    record Parameters(String bounceProcessor) {
    }

    private final OutboundPlanner planner;
    private final MessageSigner signer;
    private final MessageEncryptor encryptor = new MessageEncryptor();
    private Parameters parameters;

    @Inject
    public SignAndEncryptOutgoing(OutboundPlanner planner, Clock clock) {
        this.planner = planner;
        this.signer = new MessageSigner(clock);
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("bounceProcessor"));
        parameters = new Parameters(getInitParameter("bounceProcessor", "bounces"));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (MailEffects.done(mail, APPLIED)) {
            // the processor runs again for this mail after a database outage: it is already signed and encrypted
            return;
        }
        String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
        OutboundDecision decision = planner.decide(sender, mail.getRecipients().stream().map(MailAddress::asString).toList());
        if (decision.action() == OutboundDecision.Action.SEND && decision.policy().encrypt() == EncryptMode.WHEN_POSSIBLE
            && !decision.withoutCertificate().isEmpty() && decision.withoutCertificate().size() < mail.getRecipients().size()) {
            splitOffRecipientsWithoutCertificate(mail, decision);
            decision = planner.decide(sender, mail.getRecipients().stream().map(MailAddress::asString).toList());
        }
        if (decision.encrypt() && mail.getRecipients().size() > 1) {
            if (splitOffHiddenRecipients(mail)) {
                decision = planner.decide(sender, mail.getRecipients().stream().map(MailAddress::asString).toList());
            }
        }
        switch (decision.action()) {
            case REFUSE -> refuse(mail, decision.reason().orElse("S/MIME policy refused the message"));
            case RETRY -> throw new MessagingException("S/MIME key or certificate store unavailable for " + mail.getName());
            case SEND -> apply(mail, decision);
        }
    }

    /**
     * WHEN_POSSIBLE with a mixed audience: recipients without a certificate get their own copy (sent again through
     * this processor, where it goes signed-only per policy), the others keep this one, encrypted.
     */
    private void splitOffRecipientsWithoutCertificate(Mail mail, OutboundDecision decision) throws MessagingException {
        Set<String> clear = Set.copyOf(decision.withoutCertificate());
        List<MailAddress> withoutCertificate = mail.getRecipients().stream()
            .filter(recipient -> clear.contains(recipient.asString().toLowerCase(Locale.ROOT))).toList();
        List<MailAddress> withCertificate = mail.getRecipients().stream()
            .filter(recipient -> !clear.contains(recipient.asString().toLowerCase(Locale.ROOT))).toList();
        Mail copy = mail.duplicate();
        try {
            copy.setRecipients(withoutCertificate);
            getMailetContext().sendMail(copy, mail.getState());
        } finally {
            LifecycleUtil.dispose(copy);
        }
        mail.setRecipients(withCertificate);
        LOGGER.debug("{}: {} recipient(s) without certificate split into their own copy", mail.getName(), withoutCertificate.size());
    }

    /**
     * Recipients the To and Cc headers do not show each get their own copy (sent again through this processor, where
     * it is encrypted for that recipient alone); this mail keeps the visible ones (or, when none is visible, the first
     * hidden one). Returns whether the recipients of this mail changed.
     */
    private boolean splitOffHiddenRecipients(Mail mail) throws MessagingException {
        Set<String> visible = visibleAddresses(mail.getMessage());
        List<MailAddress> shown = mail.getRecipients().stream()
            .filter(recipient -> visible.contains(recipient.asString().toLowerCase(Locale.ROOT))).toList();
        List<MailAddress> hidden = mail.getRecipients().stream()
            .filter(recipient -> !visible.contains(recipient.asString().toLowerCase(Locale.ROOT))).toList();
        if (hidden.isEmpty()) {
            return false;
        }
        List<MailAddress> stay = shown.isEmpty() ? List.of(hidden.get(0)) : shown;
        for (MailAddress recipient : hidden) {
            if (stay.contains(recipient)) {
                continue;
            }
            Mail copy = mail.duplicate();
            try {
                copy.setRecipients(List.of(recipient));
                getMailetContext().sendMail(copy, mail.getState());
            } finally {
                LifecycleUtil.dispose(copy);
            }
        }
        mail.setRecipients(stay);
        LOGGER.debug("{}: {} recipient(s) not shown in To/Cc get their own encrypted copy", mail.getName(), hidden.size());
        return true;
    }

    /** Lower-case addresses of the To and Cc headers (unparsable ones are ignored: their recipients count as hidden). */
    private static Set<String> visibleAddresses(MimeMessage message) throws MessagingException {
        Set<String> addresses = new HashSet<>();
        for (String name : new String[] {"To", "Cc"}) {
            String[] values = message.getHeader(name);
            if (values == null) {
                continue;
            }
            for (String value : values) {
                try {
                    for (InternetAddress address : InternetAddress.parseHeader(value, false)) {
                        if (address.getAddress() != null) {
                            addresses.add(address.getAddress().toLowerCase(Locale.ROOT));
                        }
                    }
                } catch (AddressException e) {
                    // unparsable header: its recipients are treated as hidden
                }
            }
        }
        return addresses;
    }

    private void apply(Mail mail, OutboundDecision decision) throws MessagingException {
        MimeMessage message = mail.getMessage();
        if (decision.sign()) {
            message = required(signer.sign(message, decision.signingKey().orElseThrow(), SignOptions.DEFAULT), "signing");
        }
        if (decision.encrypt()) {
            message = required(encryptor.encrypt(message, decision.encryptTo(), EncryptOptions.DEFAULT), "encryption");
        }
        if (message != mail.getMessage()) {
            message.saveChanges();
            mail.setMessage(message);
            LOGGER.debug("{}: signed={} encrypted={}", mail.getName(), decision.sign(), decision.encrypt());
        }
        MailEffects.record(mail, APPLIED);
    }

    private static MimeMessage required(Outcome<MimeMessage> outcome, String step) throws MessagingException {
        if (!outcome.isSuccess()) {
            throw new MessagingException("S/MIME " + step + " failed: " + outcome.failure().orElse("unknown"));
        }
        return outcome.orElseThrow();
    }

    /** Like ToProcessor: the mail itself moves to the bounce processor, with the reason for the DSN. */
    private void refuse(Mail mail, String reason) {
        mail.setErrorMessage("550 5.7.1 " + reason);
        mail.setAttribute(new Attribute(AttributeName.of("delivery-error"),
            AttributeValue.of("550 5.7.1 " + reason)));
        mail.setState(parameters.bounceProcessor());
        LOGGER.info("{} refused by the S/MIME policy", mail.getName());
    }

    @Override
    public String getMailetInfo() {
        return "Signs and encrypts outgoing mail per S/MIME policy";
    }
}
