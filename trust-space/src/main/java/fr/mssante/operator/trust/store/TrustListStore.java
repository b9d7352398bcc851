package fr.mssante.operator.trust.store;

import java.util.List;
import java.util.Optional;

/** Persistence of the last good liste blanche of each source and of the refresh history. */
public interface TrustListStore {
    /** Replaces the last good list of its source ({@link StoredTrustList#source()}). */
    void saveCurrent(StoredTrustList list);

    /** The last good list read from this source (a file path or URL, as configured). */
    Optional<StoredTrustList> loadCurrent(String source);

    void recordRefresh(RefreshRecord record);

    /** The most recent refreshes, newest first. */
    List<RefreshRecord> recentRefreshes(int limit);
}
