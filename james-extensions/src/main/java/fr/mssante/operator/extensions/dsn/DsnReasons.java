package fr.mssante.operator.extensions.dsn;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Per-recipient reasons carried with a mail on its way to a DSN: what went wrong for each recipient and, when a
 * remote MTA said it, which host ({@code mss.dsn.reason}, {@code mss.dsn.remoteMta}: maps by recipient address).
 * A reason with a remote MTA is that MTA's SMTP reply ({@code 550 5.1.1 …}); without, a refusal of ours.
 */
public final class DsnReasons {
    static final AttributeName REASONS = AttributeName.of("mss.dsn.reason");
    static final AttributeName REMOTE_MTAS = AttributeName.of("mss.dsn.remoteMta");

    private DsnReasons() {
    }

    /** Records the reason for one recipient (a remote SMTP reply when {@code remoteMta} is given). */
    public static void put(Mail mail, MailAddress recipient, String reason, Optional<String> remoteMta) {
        putInMap(mail, REASONS, recipient.asString(), reason);
        remoteMta.ifPresent(host -> putInMap(mail, REMOTE_MTAS, recipient.asString(), host));
    }

    static Optional<String> reason(Mail mail, MailAddress recipient) {
        return fromMap(mail, REASONS, recipient.asString());
    }

    static Optional<String> remoteMta(Mail mail, MailAddress recipient) {
        return fromMap(mail, REMOTE_MTAS, recipient.asString());
    }

    private static void putInMap(Mail mail, AttributeName name, String key, String value) {
        Map<String, AttributeValue<?>> values = new HashMap<>(current(mail, name));
        values.put(key, AttributeValue.of(value));
        mail.setAttribute(new Attribute(name, AttributeValue.of(values)));
    }

    private static Optional<String> fromMap(Mail mail, AttributeName name, String key) {
        return Optional.ofNullable(current(mail, name).get(key)).map(AttributeValue::value)
            .filter(String.class::isInstance).map(String.class::cast);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue<?>> current(Mail mail, AttributeName name) {
        return mail.getAttribute(name).map(Attribute::getValue).map(AttributeValue::value)
            .filter(Map.class::isInstance).map(map -> (Map<String, AttributeValue<?>>) map).orElse(Map.of());
    }
}
