package fr.mssante.operator.trust.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A store kept in memory, for tests and for running without a database. Thread-safe. */
public final class InMemoryTrustListStore implements TrustListStore {
    private final Map<String, StoredTrustList> current = new HashMap<>();
    private final List<RefreshRecord> history = new ArrayList<>();

    @Override
    public synchronized void saveCurrent(StoredTrustList list) {
        current.put(list.source(), list);
    }

    @Override
    public synchronized Optional<StoredTrustList> loadCurrent(String source) {
        return Optional.ofNullable(current.get(source));
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
