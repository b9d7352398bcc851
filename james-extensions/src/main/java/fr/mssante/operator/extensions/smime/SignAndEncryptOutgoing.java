package fr.mssante.operator.extensions.smime;

import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <pre>{@code
 * <mailet match="All" class="fr.mssante.operator.extensions.smime.SignAndEncryptOutgoing">
 *   <bounceProcessor>bounces</bounceProcessor>
 * </mailet>
 * }</pre>
 */
public class SignAndEncryptOutgoing extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(SignAndEncryptOutgoing.class);

    record Parameters(String bounceProcessor) {
    }

    private final OutboundPlanner planner;
    private final MessageSigner signer = new MessageSigner(java.time.Clock.systemUTC());
    private final MessageEncryptor encryptor = new MessageEncryptor();
    private Parameters parameters;

    @Inject
    public SignAndEncryptOutgoing(OutboundPlanner planner) {
        this.planner = planner;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("bounceProcessor"));
        parameters = new Parameters(getInitParameter("bounceProcessor", "bounces"));
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        String sender = mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse("");
        OutboundDecision decision = planner.decide(sender, mail.getRecipients().stream().map(MailAddress::asString).toList());
        if (decision.action() == OutboundDecision.Action.SEND && decision.policy().encrypt() == EncryptMode.WHEN_POSSIBLE
            && !decision.withoutCertificate().isEmpty() && decision.withoutCertificate().size() < mail.getRecipients().size()) {
            splitOffRecipientsWithoutCertificate(mail, decision);
            decision = planner.decide(sender, mail.getRecipients().stream().map(MailAddress::asString).toList());
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
        java.util.Set<String> clear = java.util.Set.copyOf(decision.withoutCertificate());
        java.util.List<MailAddress> withoutCertificate = mail.getRecipients().stream()
            .filter(recipient -> clear.contains(recipient.asString().toLowerCase(java.util.Locale.ROOT))).toList();
        java.util.List<MailAddress> withCertificate = mail.getRecipients().stream()
            .filter(recipient -> !clear.contains(recipient.asString().toLowerCase(java.util.Locale.ROOT))).toList();
        Mail copy = mail.duplicate();
        try {
            copy.setRecipients(withoutCertificate);
            getMailetContext().sendMail(copy, mail.getState());
        } finally {
            org.apache.james.lifecycle.api.LifecycleUtil.dispose(copy);
        }
        mail.setRecipients(withCertificate);
        LOGGER.debug("{}: {} recipient(s) without certificate split into their own copy", mail.getName(), withoutCertificate.size());
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
        mail.setAttribute(new org.apache.mailet.Attribute(org.apache.mailet.AttributeName.of("delivery-error"),
            org.apache.mailet.AttributeValue.of("550 5.7.1 " + reason)));
        mail.setState(parameters.bounceProcessor());
        LOGGER.info("{} refused by the S/MIME policy", mail.getName());
    }

    @Override
    public String getMailetInfo() {
        return "Signs and encrypts outgoing mail per S/MIME policy";
    }
}
