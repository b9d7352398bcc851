package fr.mssante.operator.extensions.directory;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.lookup.MailboxEntry;

/**
 * Attaches what the national directory says about the sender and each recipient as {@code mss.directory.*} attributes
 * for later steps (document filing, citizen rules, console): {@code mss.directory.sender.kind|nationalId|profession}
 * and {@code mss.directory.recipients} (a map address → kind). An address the directory does not know yet is simply
 * absent: the national directory lags, so nothing is refused because of it. A lookup failure only skips the facts.
 * {@code sender.nationalId} is what the directory lists for the sender <em>mailbox</em> (for a shared mailbox, its
 * holder): never who is acting — that is the submission's principal ({@code mss.submission.principal}).
 *
 * <pre>{@code <mailet match="All" class="fr.mssante.operator.extensions.directory.AttachDirectoryFacts"/>}</pre>
 */
public class AttachDirectoryFacts extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(AttachDirectoryFacts.class);
    static final String PREFIX = "mss.directory.";

    private final DirectoryLookup lookup;

    @Inject
    public AttachDirectoryFacts(DirectoryLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of());
    }

    @Override
    public void service(Mail mail) {
        try {
            Optional<MailAddress> sender = mail.getMaybeSender().asOptional();
            if (sender.isPresent()) {
                Optional<MailboxEntry> entry = lookup.byAddress(sender.get().asString());
                if (entry.isPresent()) {
                    set(mail, "sender.kind", entry.get().kind());
                    set(mail, "sender.nationalId", entry.get().nationalId());
                    set(mail, "sender.profession", entry.get().profession());
                }
            }
            Map<String, AttributeValue<?>> recipients = new LinkedHashMap<>();
            for (MailAddress recipient : mail.getRecipients()) {
                lookup.byAddress(recipient.asString()).filter(entry -> entry.kind() != null)
                    .ifPresent(entry -> recipients.put(recipient.asString(), AttributeValue.of(entry.kind())));
            }
            if (!recipients.isEmpty()) {
                mail.setAttribute(new Attribute(AttributeName.of(PREFIX + "recipients"), AttributeValue.of(recipients)));
            }
        } catch (SQLException | RuntimeException e) {
            LOGGER.warn("Directory facts skipped for {}: {}", mail.getName(), e.getMessage());
        }
    }

    private static void set(Mail mail, String name, String value) {
        if (value != null && !value.isBlank()) {
            mail.setAttribute(new Attribute(AttributeName.of(PREFIX + name), AttributeValue.of(value)));
        }
    }

    @Override
    public String getMailetInfo() {
        return "Attaches national directory facts as mss.directory.* attributes";
    }
}
