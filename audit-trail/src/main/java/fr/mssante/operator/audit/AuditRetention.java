package fr.mssante.operator.audit;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trail's retention (MSS_AUDIT_RETENTION, default one year): {@link #run} deletes the rows older than the period
 * and writes its own {@code AUDIT_RETENTION} row saying how many it removed. Run daily by the server.
 */
public final class AuditRetention {
    public static final String DEFAULT = "P1Y";
    private static final Logger LOGGER = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditJournal journal;
    private final Period period;
    private final Clock clock;

    public AuditRetention(AuditJournal journal, Period period, Clock clock) {
        this.journal = journal;
        this.period = period;
        this.clock = clock;
    }

    /**
     * An ISO-8601 period ({@code P1Y}, {@code P90D}, {@code P6M}) or a number of days ({@code 365}); at least one day.
     */
    public static Period parse(String value) {
        String trimmed = value.trim();
        Period period;
        try {
            period = trimmed.matches("[0-9]{1,6}") ? Period.ofDays(Integer.parseInt(trimmed)) : Period.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an ISO-8601 period such as P1Y or P90D, or a number of days, got '"
                + value + "'");
        }
        if (period.isNegative() || period.isZero()
            || Duration.between(Instant.EPOCH, Instant.EPOCH.atOffset(ZoneOffset.UTC).plus(period).toInstant()).toDays() < 1) {
            throw new IllegalArgumentException("must be at least one day, got '" + value + "'");
        }
        return period;
    }

    public Period period() {
        return period;
    }

    /** Deletes what is older than the period; how many rows. */
    public long run() throws SQLException {
        Instant now = clock.instant();
        Instant cutoff = now.atOffset(ZoneOffset.UTC).minus(period).toInstant();
        long removed = journal.deleteBefore(cutoff);
        journal.append(AuditRecord.of(AuditTypes.AUDIT_RETENTION).mailName("audit-retention").actor("system:retention")
            .reason("retention " + period).detail("removed " + removed + " row(s) older than " + cutoff));
        LOGGER.info("Audit retention ({}): {} row(s) older than {} removed", period, removed, cutoff);
        return removed;
    }
}
