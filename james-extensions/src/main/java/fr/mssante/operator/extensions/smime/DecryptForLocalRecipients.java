package fr.mssante.operator.extensions.smime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
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

import fr.mssante.operator.smime.decrypt.DecryptionResult;
import fr.mssante.operator.smime.decrypt.MessageDecryptor;

/**
 * Decrypts S/MIME enveloped mail for our mailboxes whose private keys the server holds (key store in PostgreSQL,
 * encrypted under the master key), <strong>one recipient at a time</strong>: encrypted mail with several recipients
 * is first split into one copy per recipient (the first recipient stays on this mail, every other one gets its own
 * copy, sent again into this processor), and each copy is decrypted only with its own recipient's keys. A recipient
 * for whom the message was not encrypted gets it as sent (still encrypted, marked {@code no-key}); no recipient ever
 * receives what was encrypted for another. Whatever follows in the processor (second antivirus scan, signature
 * verdict, audit, delivery, DSN) therefore sees one recipient and that recipient's own plaintext.
 *
 * <p>The decrypted message replaces the encrypted one on that copy (its outer headers are kept; inner content cannot
 * bring a From or X-MSS-* header), {@code mss.smime.decryptedFor} names the recipient, and
 * {@code X-MSS-SMIME-Decryption} says what happened: {@code decrypted}, {@code no-key}, {@code failed} or
 * {@code deferred} (key store unavailable: the mail is delivered still encrypted, never lost). Runs before
 * {@link VerifyIncomingSignatures} so that inner signatures are verified.
 *
 * <pre>{@code <mailet match="All" class="fr.mssante.operator.extensions.smime.DecryptForLocalRecipients"/>}</pre>
 */
public class DecryptForLocalRecipients extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(DecryptForLocalRecipients.class);
    static final String HEADER = "X-MSS-SMIME-Decryption";

    /** Whether this copy was decrypted here for its one recipient: nothing of it may go back to the sender. */
    public static boolean decryptedHere(MimeMessage message) throws MessagingException {
        return "decrypted".equals(message.getHeader(HEADER, null));
    }
    static final AttributeName DECRYPTED_FOR = AttributeName.of("mss.smime.decryptedFor");

    private final MessageDecryptor decryptor;

    @Inject
    public DecryptForLocalRecipients(MessageDecryptor decryptor) {
        this.decryptor = decryptor;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getRecipients().isEmpty() || mail.getAttribute(DECRYPTED_FOR).isPresent()
            || !MessageDecryptor.mayBeEncrypted(mail.getMessage())) {
            return;
        }
        if (mail.getRecipients().size() > 1) {
            keepOnlyFirstRecipient(mail);
        }
        MailAddress recipient = mail.getRecipients().iterator().next();
        DecryptionResult result;
        try {
            result = decryptor.decrypt(mail.getMessage(), recipient.asString());
        } catch (RuntimeException e) {
            LOGGER.warn("Decryption of {} failed unexpectedly", mail.getName(), e);
            mark(mail.getMessage(), "failed");
            return;
        }
        switch (result.status()) {
            case NOT_ENCRYPTED -> {
            }
            case DECRYPTED -> {
                MimeMessage clear = result.message().orElseThrow();
                clear.setHeader(HEADER, "decrypted");
                clear.saveChanges();
                mail.setMessage(clear);
                mail.setAttribute(new Attribute(DECRYPTED_FOR, AttributeValue.of(recipient.asString())));
            }
            case NO_KEY -> mark(mail.getMessage(), "no-key");
            case TEMPORARY_FAILURE -> mark(mail.getMessage(), "deferred");
            default -> mark(mail.getMessage(), "failed");
        }
        LOGGER.debug("Decryption of {} for one recipient: {}", mail.getName(), result.status());
    }

    /**
     * Every recipient but the first gets its own copy of the (still encrypted) mail, sent back into this processor
     * where it is decrypted for that recipient alone; this mail keeps the first recipient.
     */
    private void keepOnlyFirstRecipient(Mail mail) throws MessagingException {
        List<MailAddress> recipients = new ArrayList<>(mail.getRecipients());
        for (MailAddress other : recipients.subList(1, recipients.size())) {
            Mail copy = mail.duplicate();
            try {
                copy.setRecipients(List.of(other));
                getMailetContext().sendMail(copy, mail.getState());
            } finally {
                LifecycleUtil.dispose(copy);
            }
        }
        mail.setRecipients(List.of(recipients.get(0)));
        LOGGER.debug("{}: encrypted mail split into {} single-recipient copies", mail.getName(), recipients.size());
    }

    private static void mark(MimeMessage message, String value) throws MessagingException {
        message.setHeader(HEADER, value);
        message.saveChanges();
    }

    @Override
    public String getMailetInfo() {
        return "Decrypts S/MIME mail for each local recipient with that recipient's own key";
    }
}
