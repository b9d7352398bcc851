package fr.mssante.operator.directory.fhir;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Spaces calls evenly: at most {@code perSecond} a second (the Annuaire Santé API allows 17 per application). */
public final class RateLimiter {

    /** Waits; {@code Thread::sleep} in production, a recorder in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Duration interval;
    private final Clock clock;
    private final Sleeper sleeper;
    private Instant next;

    public RateLimiter(int perSecond, Clock clock, Sleeper sleeper) {
        this.interval = Duration.ofNanos(1_000_000_000L / perSecond);
        this.clock = clock;
        this.sleeper = sleeper;
        this.next = Instant.MIN;
    }

    public static RateLimiter annuaireSante(Clock clock) {
        return new RateLimiter(17, clock, d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000));
    }

    /** Blocks until the next call may go. */
    public synchronized void acquire() throws InterruptedException {
        Instant now = clock.instant();
        if (next.isAfter(now)) {
            sleeper.sleep(Duration.between(now, next));
            now = next;
        }
        next = now.plus(interval);
    }
}
