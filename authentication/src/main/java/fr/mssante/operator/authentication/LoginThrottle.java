package fr.mssante.operator.authentication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Brute-force and spraying protection for password logins, with growing delays rather than lockouts. Failures are
 * counted per (source address, login) and per source address, never per login alone: an attacker elsewhere cannot
 * lock the holder out, whatever they try. Past a few free failures, each counted failure blocks that key for an
 * exponentially growing delay (bounded): attempts during the block are refused without checking the password and
 * without being counted. A key forgets its failures after a quiet period; a success clears its (source, login) key but
 * not its source key (one valid account must not reset a sprayer's counter). State lives in a {@link Store}
 * (PostgreSQL, shared by every node, in production). No James types: plain tests use {@link InMemoryStore}.
 */
public class LoginThrottle {
    /** Growing delays of one kind of key. */
    public record Backoff(int freeFailures, Duration firstDelay, Duration maxDelay) {
        public Backoff {
            if (freeFailures < 0 || firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("backoff needs freeFailures >= 0 and 0 < firstDelay <= maxDelay");
            }
        }

        /** The block imposed after {@code failures} counted failures: none up to the free ones, then doubling, bounded. */
        public Duration delayAfter(int failures) {
            if (failures <= freeFailures) {
                return Duration.ZERO;
            }
            int doublings = Math.min(failures - freeFailures - 1, 40);
            Duration delay = doublings >= 40 ? maxDelay : firstDelay.multipliedBy(1L << Math.min(doublings, 30));
            return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
        }
    }

    /**
     * @param perLogin    failures of one login from one source address
     * @param perSource   failures from one source address, whatever the login (spraying)
     * @param forgetAfter a key with no failure for this long starts again from zero
     */
    public record Settings(Backoff perLogin, Backoff perSource, Duration forgetAfter) {
        public static final Settings DEFAULT = new Settings(new Backoff(5, Duration.ofSeconds(1), Duration.ofMinutes(15)),
            new Backoff(20, Duration.ofSeconds(1), Duration.ofMinutes(15)), Duration.ofHours(24));
    }

    /** A throttled key: a source address alone ({@code login} empty) or a (source address, login) pair. */
    public record Key(String source, String login) {
        public Key {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(login, "login");
        }

        public boolean perSource() {
            return login.isEmpty();
        }
    }

    /** Where failure counters live. Implementations make {@link #countFailure} atomic. */
    public interface Store {
        /** Adds one failure (starting again from one when the last was before {@code forgetBefore}); the new count. */
        int countFailure(Key key, Instant now, Instant forgetBefore) throws Exception;

        void block(Key key, Instant until) throws Exception;

        Optional<Instant> blockedUntil(Key key) throws Exception;

        void clear(Key key) throws Exception;

        /** Operator action: every (source, login) key of this login. */
        void clearLogin(String login) throws Exception;

        /** Operator action: the per-source key of this address and its (source, login) keys. */
        void clearSource(String source) throws Exception;
    }

    /** A refusal or a new block, for the audit trail. */
    public record Block(Instant until, String reason) {
    }

    /** When the client address is not known (should not happen), every such attempt shares this source. */
    public static final String UNKNOWN_SOURCE = "unknown";

    private final Store store;
    private final Settings settings;
    private final Clock clock;

    public LoginThrottle(Store store, Settings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** Refused now? (checked before the password, which is then not looked at) */
    public Optional<Block> blocked(String source, String login) throws Exception {
        Instant now = clock.instant();
        Optional<Instant> pair = store.blockedUntil(pair(source, login)).filter(now::isBefore);
        if (pair.isPresent()) {
            return Optional.of(new Block(pair.get(), "too many failures for this login from " + source(source)));
        }
        if (known(source)) {
            Optional<Instant> whole = store.blockedUntil(source(source, "")).filter(now::isBefore);
            if (whole.isPresent()) {
                return Optional.of(new Block(whole.get(), "too many failures from " + source(source)));
            }
        }
        return Optional.empty();
    }

    /**
     * Counts one failure of {@code login} from {@code source}.
     *
     * @return the block this failure starts, if any (the longer of the two keys')
     */
    public Optional<Block> failed(String source, String login) throws Exception {
        Instant now = clock.instant();
        Instant forgetBefore = now.minus(settings.forgetAfter());
        Optional<Block> block = count(pair(source, login), settings.perLogin(), now, forgetBefore,
            "failures of this login from " + source(source));
        if (known(source)) {
            Optional<Block> whole = count(source(source, ""), settings.perSource(), now, forgetBefore,
                "failures from " + source(source));
            if (whole.isPresent() && (block.isEmpty() || whole.get().until().isAfter(block.get().until()))) {
                block = whole;
            }
        }
        return block;
    }

    private Optional<Block> count(Key key, Backoff backoff, Instant now, Instant forgetBefore, String what) throws Exception {
        int failures = store.countFailure(key, now, forgetBefore);
        Duration delay = backoff.delayAfter(failures);
        if (delay.isZero()) {
            return Optional.empty();
        }
        Instant until = now.plus(delay);
        store.block(key, until);
        return Optional.of(new Block(until, failures + " " + what + ": next attempt refused for " + delay));
    }

    /** A good password: the (source, login) key starts again; the source key does not. */
    public void succeeded(String source, String login) throws Exception {
        store.clear(pair(source, login));
    }

    /** Operator action: lift every block of a login. */
    public void unlock(String login) throws Exception {
        store.clearLogin(normalise(login));
    }

    /** Operator action: lift the blocks of a source address. */
    public void unlockSource(String source) throws Exception {
        store.clearSource(source(source));
    }

    private static Key pair(String source, String login) {
        return source(source, normalise(login));
    }

    private static Key source(String source, String login) {
        return new Key(source(source), login);
    }

    private static String source(String source) {
        return source == null || source.isBlank() ? UNKNOWN_SOURCE : source.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean known(String source) {
        return !source(source).equals(UNKNOWN_SOURCE);
    }

    private static String normalise(String login) {
        String name = login == null ? "" : login.trim().toLowerCase(Locale.ROOT);
        // the empty login names the per-source key; a blank login attempt is counted under a name of its own
        return name.isEmpty() ? "<empty>" : name;
    }
}
