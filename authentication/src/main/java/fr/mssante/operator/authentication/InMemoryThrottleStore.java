package fr.mssante.operator.authentication;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link LoginThrottle.Store} in memory (one node; tests). */
public class InMemoryThrottleStore implements LoginThrottle.Store {
    private record Counter(int failures, Instant lastFailure, Instant blockedUntil) {
    }

    private final Map<LoginThrottle.Key, Counter> counters = new HashMap<>();

    @Override
    public synchronized int countFailure(LoginThrottle.Key key, Instant now, Instant forgetBefore) {
        Counter old = counters.get(key);
        int failures = old == null || old.lastFailure().isBefore(forgetBefore) ? 1 : old.failures() + 1;
        counters.put(key, new Counter(failures, now, old == null ? null : old.blockedUntil()));
        return failures;
    }

    @Override
    public synchronized void block(LoginThrottle.Key key, Instant until) {
        Counter old = counters.get(key);
        counters.put(key, new Counter(old == null ? 0 : old.failures(), old == null ? until : old.lastFailure(), until));
    }

    @Override
    public synchronized Optional<Instant> blockedUntil(LoginThrottle.Key key) {
        return Optional.ofNullable(counters.get(key)).map(Counter::blockedUntil);
    }

    @Override
    public synchronized void clear(LoginThrottle.Key key) {
        counters.remove(key);
    }

    @Override
    public synchronized void clearLogin(String login) {
        counters.keySet().removeIf(key -> key.login().equals(login));
    }

    @Override
    public synchronized void clearSource(String source) {
        counters.keySet().removeIf(key -> key.source().equals(source));
    }
}
