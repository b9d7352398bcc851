package fr.mssante.operator.database;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * What the processing of one mail has already done outside the mail itself (a copy stored into a mailbox, an audit
 * row, a DSN or a notification sent, the message signed), so that it is never done twice. A mail whose mailet found
 * PostgreSQL unreachable goes back to the spool and its processor runs again <em>from its first mailet</em>
 * ({@link DatabaseOutage}, RetryWhenDatabaseUnavailable): every mailet with such an effect looks here first, skips
 * what is done, and notes each effect as soon as it has happened. The mail carries these notes (they travel with it
 * through the durable spool); a copy made from it inherits them.
 *
 * <p>An effect is named by the processor it happens in, what it is and, for an effect per recipient, the recipient
 * (case-insensitive): {@code local-delivery|stored|bruno.durand@demo.mss.test}. Immutable.
 */
public final class CompletedEffects {
    private static final char SEPARATOR = '|';
    private final Set<String> keys;

    private CompletedEffects(Set<String> keys) {
        this.keys = Set.copyOf(keys);
    }

    public static CompletedEffects none() {
        return new CompletedEffects(Set.of());
    }

    /** From the notes a mail carries (unknown or malformed notes are kept as they are: they only ever skip themselves). */
    public static CompletedEffects of(Collection<String> keys) {
        return new CompletedEffects(new LinkedHashSet<>(keys));
    }

    /** The note of an effect done once for the whole mail in {@code processor}. */
    public static String key(String processor, String effect) {
        return checked(processor, "processor") + SEPARATOR + checked(effect, "effect");
    }

    /** The note of an effect done for one recipient of the mail in {@code processor}. */
    public static String key(String processor, String effect, String recipient) {
        if (recipient == null || recipient.isBlank()) {
            throw new IllegalArgumentException("recipient must not be blank");
        }
        // last part: an address may hold the separator without making the note ambiguous
        return key(processor, effect) + SEPARATOR + recipient.toLowerCase(Locale.ROOT);
    }

    public boolean done(String key) {
        return keys.contains(key);
    }

    public boolean done(String processor, String effect) {
        return done(key(processor, effect));
    }

    public boolean done(String processor, String effect, String recipient) {
        return done(key(processor, effect, recipient));
    }

    /** These notes and {@code key}. */
    public CompletedEffects with(String key) {
        Set<String> more = new LinkedHashSet<>(keys);
        more.add(Objects.requireNonNull(key, "key"));
        return new CompletedEffects(more);
    }

    /** The recipients {@code effect} has not been done for yet, in their order. */
    public <T> List<T> pending(String processor, String effect, Collection<T> recipients, Function<T, String> address) {
        return recipients.stream().filter(recipient -> !done(processor, effect, address.apply(recipient))).toList();
    }

    /** The notes, for the mail to carry. */
    public Set<String> keys() {
        return keys;
    }

    private static String checked(String part, String what) {
        if (part == null || part.isBlank() || part.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException(what + " must be a non-blank name without '" + SEPARATOR + "', got " + part);
        }
        return part;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CompletedEffects effects && effects.keys.equals(keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    @Override
    public String toString() {
        return "CompletedEffects" + keys;
    }
}
