package fr.mssante.operator.extensions.smime;

import java.util.List;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
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
 * encrypted under the master key). The decrypted message replaces the encrypted one (its outer headers are kept;
 * inner content cannot bring a From or X-MSS-* header) and {@code X-MSS-SMIME-Decryption} says what happened:
 * {@code decrypted}, {@code no-key}, {@code failed} or {@code deferred} (key store unavailable: the mail is delivered
 * still encrypted, never lost). Runs before {@link VerifyIncomingSignatures} so that inner signatures are verified.
 *
 * <pre>{@code <mailet match="All" class="fr.mssante.operator.extensions.smime.DecryptForLocalRecipients"/>}</pre>
 */
public class DecryptForLocalRecipients extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(DecryptForLocalRecipients.class);
    static final String HEADER = "X-MSS-SMIME-Decryption";

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
        List<String> mailboxes = mail.getRecipients().stream().map(MailAddress::asString).toList();
        DecryptionResult result;
        try {
            result = decryptor.decrypt(mail.getMessage(), mailboxes);
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
                mail.setAttribute(new Attribute(AttributeName.of("mss.smime.decryptedFor"), AttributeValue.of(result.owner().orElse(""))));
            }
            case NO_KEY -> mark(mail.getMessage(), "no-key");
            case TEMPORARY_FAILURE -> mark(mail.getMessage(), "deferred");
            default -> mark(mail.getMessage(), "failed");
        }
        LOGGER.debug("Decryption of {}: {}", mail.getName(), result.status());
    }

    private static void mark(MimeMessage message, String value) throws MessagingException {
        message.setHeader(HEADER, value);
        message.saveChanges();
    }

    @Override
    public String getMailetInfo() {
        return "Decrypts S/MIME mail for local mailboxes whose keys the server holds";
    }
}
