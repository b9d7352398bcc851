package fr.mssante.operator.extensions.imap;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of one IMAP SEARCH: how long it may read messages, and how many searches that read message contents
 * (TEXT, BODY, headers) may run at once on the whole server (the others wait up to {@code timeout}, then fail).
 */
public record SearchLimits(Duration timeout, int concurrentContentSearches) {
    public SearchLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || concurrentContentSearches < 1) {
            throw new IllegalArgumentException("search limits must be positive");
        }
    }
}
