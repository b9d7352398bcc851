package fr.mssante.operator.extensions.database;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

import fr.mssante.operator.database.CompletedEffects;

/**
 * The {@link CompletedEffects} of a mail, carried in its attribute {@code mss.effects} (a list of strings: it goes
 * through the spool with the mail). The processor of an effect is the mail's state when the mailet runs.
 * Every mailet whose effect reaches outside the mail (a mailbox, the audit trail, a DSN, a notification, the
 * message's S/MIME envelope) checks here before acting and notes the effect right after it happened, so that the
 * processor running again after a database outage ({@link RetryWhenDatabaseUnavailable}) does not repeat it.
 */
public final class MailEffects {
    public static final AttributeName EFFECTS = AttributeName.of("mss.effects");

    private MailEffects() {
    }

    public static CompletedEffects of(Mail mail) {
        Optional<Object> value = mail.getAttribute(EFFECTS).map(attribute -> attribute.getValue().value());
        if (value.isPresent() && value.get() instanceof Collection<?> notes) {
            return CompletedEffects.of(notes.stream().map(note -> note instanceof AttributeValue<?> v ? v.value() : note)
                .filter(String.class::isInstance).map(String.class::cast).toList());
        }
        return CompletedEffects.none();
    }

    public static boolean done(Mail mail, String effect) {
        return of(mail).done(processor(mail), effect);
    }

    public static boolean done(Mail mail, String effect, MailAddress recipient) {
        return of(mail).done(processor(mail), effect, recipient.asString());
    }

    /** The recipients of the mail {@code effect} has not been done for yet in this processor. */
    public static List<MailAddress> pending(Mail mail, String effect) {
        return of(mail).pending(processor(mail), effect, mail.getRecipients(), MailAddress::asString);
    }

    public static void record(Mail mail, String effect) {
        save(mail, of(mail).with(CompletedEffects.key(processor(mail), effect)));
    }

    public static void record(Mail mail, String effect, MailAddress recipient) {
        save(mail, of(mail).with(CompletedEffects.key(processor(mail), effect, recipient.asString())));
    }

    /** The processor the mail is in (a mail never given a state is in root). */
    private static String processor(Mail mail) {
        String state = mail.getState();
        return state == null || state.isBlank() ? Mail.DEFAULT : state;
    }

    private static void save(Mail mail, CompletedEffects effects) {
        List<AttributeValue<?>> notes = effects.keys().stream().<AttributeValue<?>>map(AttributeValue::of).toList();
        mail.setAttribute(new Attribute(EFFECTS, AttributeValue.of(notes)));
    }
}
