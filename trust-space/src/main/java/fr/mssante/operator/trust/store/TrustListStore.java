package fr.mssante.operator.trust.store;

import java.util.List;
import java.util.Optional;

/** Persistence of the last good liste blanche and of the refresh history. */
public interface TrustListStore {
    /** Replaces the last good list. */
    void saveCurrent(StoredTrustList list);

    Optional<StoredTrustList> loadCurrent();

    void recordRefresh(RefreshRecord record);

    /** The most recent refreshes, newest first. */
    List<RefreshRecord> recentRefreshes(int limit);
}
