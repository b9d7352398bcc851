package fr.mssante.operator.trust.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A store kept in memory, for tests and for running without a database. Thread-safe. */
public final class InMemoryTrustListStore implements TrustListStore {
    private StoredTrustList current;
    private final List<RefreshRecord> history = new ArrayList<>();

    @Override
    public synchronized void saveCurrent(StoredTrustList list) {
        current = list;
    }

    @Override
    public synchronized Optional<StoredTrustList> loadCurrent() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized void recordRefresh(RefreshRecord record) {
        history.add(0, record);
    }

    @Override
    public synchronized List<RefreshRecord> recentRefreshes(int limit) {
        return List.copyOf(history.subList(0, Math.min(limit, history.size())));
    }
}
