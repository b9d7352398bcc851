package fr.mssante.operator.dmp.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff for transport failures: the n-th retry waits {@code base × 2^(n-1)}, capped at {@code max};
 * a row older than {@code maxAge} at a failure is given up (FAILED).
 */
public record RetryPolicy(Duration base, Duration max, Duration maxAge) {
    public static final RetryPolicy DEFAULT =
        new RetryPolicy(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(72));

    public RetryPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(maxAge, "maxAge");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || maxAge.isNegative()) {
            throw new IllegalArgumentException("retry policy needs 0 < base <= max and maxAge >= 0");
        }
    }

    /** The delay before the next attempt after {@code attempts} failed attempts (1 = the first failure). */
    public Duration delayAfter(int attempts) {
        int doublings = Math.max(0, attempts - 1);
        if (doublings >= 62) {
            return max;
        }
        long baseMillis = base.toMillis();
        long factor = 1L << doublings;
        if (baseMillis > max.toMillis() / factor) {
            return max;
        }
        Duration d = Duration.ofMillis(baseMillis * factor);
        return d.compareTo(max) > 0 ? max : d;
    }
}
