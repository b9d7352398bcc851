package fr.mssante.operator.extensions.imap;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of one IMAP SEARCH: how long it may read messages, and how many searches that read message contents
 * (TEXT, BODY, headers) may run at once on the whole server (the others wait up to {@code timeout}, then fail);
 * {@code textIndex}: TEXT and BODY are answered from the PostgreSQL text index (ADR 0011) rather than by scanning.
 */
public record SearchLimits(Duration timeout, int concurrentContentSearches, boolean textIndex) {
    public SearchLimits(Duration timeout, int concurrentContentSearches) {
        this(timeout, concurrentContentSearches, true);
    }

    public SearchLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || concurrentContentSearches < 1) {
            throw new IllegalArgumentException("search limits must be positive");
        }
    }
}
