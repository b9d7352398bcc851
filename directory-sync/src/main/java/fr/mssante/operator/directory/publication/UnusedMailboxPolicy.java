package fr.mssante.operator.directory.publication;

import java.time.Period;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * When a published mailbox counts as unused: no activity for {@code unusedFor} (default 12 months), counted from its
 * last activity, or from its creation when it was never used. Months are calendar months in {@code zone}
 * (Europe/Paris): a mailbox last used on 15 March at 10:00 is unused from 15 March of the next year at 10:00, Paris
 * time. Exactly at the end of the period it counts as unused.
 *
 * @param unusedFor a positive period
 * @param zone      the zone calendar months are counted in
 */
public record UnusedMailboxPolicy(Period unusedFor, ZoneId zone) {

    public static final Period DEFAULT_PERIOD = Period.ofMonths(12);
    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** Environment variable holding an ISO-8601 period, e.g. P12M or P1Y6M. */
    public static final String SETTING = "MSS_DIRECTORY_DEPUBLISH_AFTER";

    public UnusedMailboxPolicy {
        Objects.requireNonNull(unusedFor, "unusedFor");
        Objects.requireNonNull(zone, "zone");
        if (unusedFor.isNegative() || unusedFor.isZero()) {
            throw new IllegalArgumentException("the period must be positive: " + unusedFor);
        }
    }

    public static UnusedMailboxPolicy defaults() {
        return new UnusedMailboxPolicy(DEFAULT_PERIOD, PARIS);
    }

    /** From {@value #SETTING} when set, else the default. */
    public static UnusedMailboxPolicy fromEnvironment(Map<String, String> env) {
        String value = env.get(SETTING);
        if (value == null || value.isBlank()) {
            return defaults();
        }
        try {
            return new UnusedMailboxPolicy(Period.parse(value.trim()), PARIS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(SETTING + " must be an ISO-8601 period such as P12M: " + value, e);
        }
    }
}
