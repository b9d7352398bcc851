package fr.mssante.operator.extensions.database;

import java.util.Set;

import javax.mail.MessagingException;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;

/**
 * First mailet of every processor: notes the processor the mail is in ({@code mss.processor}), so that a mail whose
 * mailet failed while the database was unreachable can be processed there again
 * ({@link RetryWhenDatabaseUnavailable}). James keeps only the failure's processor name, not where it came from.
 * <pre>{@code <mailet match="All" class="fr.mssante.operator.extensions.database.EnterProcessor">
 *   <processor>transport</processor>
 * </mailet>}</pre>
 */
public class EnterProcessor extends GenericMailet {
    private Attribute processor;

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("processor"));
        String name = getInitParameter("processor");
        if (name == null || name.isBlank()) {
            throw new MessagingException(getMailetName() + ": processor is required");
        }
        processor = new Attribute(RetryWhenDatabaseUnavailable.PROCESSOR, AttributeValue.of(name));
    }

    @Override
    public void service(Mail mail) {
        mail.setAttribute(processor);
    }

    @Override
    public String getMailetInfo() {
        return "Notes the processor the mail is in (mss.processor)";
    }
}
