package fr.mssante.operator.trust.refresh;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.list.TrustListDiff;
import fr.mssante.operator.trust.list.TrustListParseException;
import fr.mssante.operator.trust.list.TrustListParser;
import fr.mssante.operator.trust.list.TrustListValidator;
import fr.mssante.operator.trust.source.FetchedDocument;
import fr.mssante.operator.trust.source.TrustListSource;
import fr.mssante.operator.trust.store.RefreshOutcome;
import fr.mssante.operator.trust.store.RefreshRecord;
import fr.mssante.operator.trust.store.StoredTrustList;
import fr.mssante.operator.trust.store.TrustListStore;
import fr.mssante.operator.trust.store.TrustListStoreException;

/**
 * Keeps the liste blanche in force: loads the last good copy from the store at start, then fetches, parses,
 * validates, diffs, stores and swaps the snapshot atomically. A failed or refused download never replaces the list
 * in force; every attempt is recorded in the store's history.
 */
public final class TrustListRefresher implements TrustListProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TrustListRefresher.class);

    private final TrustListSource source;
    private final TrustListParser parser;
    private final TrustListValidator validator;
    private final TrustListStore store;
    private final Clock clock;
    private final AtomicReference<TrustList> current = new AtomicReference<>(TrustList.empty());
    private ScheduledFuture<?> scheduled;

    public TrustListRefresher(TrustListSource source, TrustListParser parser, TrustListValidator validator,
                              TrustListStore store, Clock clock) {
        this.source = source;
        this.parser = parser;
        this.validator = validator;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public TrustList current() {
        return current.get();
    }

    /**
     * Loads the last good list of the configured source from the store (at start, before the first download); a copy
     * from another source (the setting changed) is not used.
     *
     * @return whether a stored list was loaded
     */
    public synchronized boolean loadFromStore() {
        Optional<StoredTrustList> stored;
        try {
            stored = store.loadCurrent(source.describe());
        } catch (TrustListStoreException e) {
            LOG.warn("cannot read the stored liste blanche: {}", e.getMessage());
            return false;
        }
        if (stored.isEmpty()) {
            return false;
        }
        try {
            TrustList list = parser.parse(stored.get().document());
            if (list.isEmpty()) {
                return false;
            }
            current.set(list);
            LOG.info("liste blanche loaded from the store: {} entries, fetched at {}", list.entryCount(),
                    stored.get().fetchedAt());
            return true;
        } catch (TrustListParseException e) {
            LOG.warn("stored liste blanche unreadable: {}", e.getMessage());
            return false;
        }
    }

    /** Fetches and, when valid, installs a new list. Never throws; the result says what happened. */
    public synchronized RefreshRecord refreshNow() {
        return refreshNow(false);
    }

    /**
     * As {@link #refreshNow()}; with {@code acceptSmaller}, an operator accepts this once a list that shrank more than
     * the validator allows (recorded in the history with the previous and new sizes).
     */
    public synchronized RefreshRecord refreshNow(boolean acceptSmaller) {
        Instant started = clock.instant();
        TrustList previous = current.get();
        FetchedDocument doc;
        try {
            doc = source.fetch();
        } catch (IOException | RuntimeException e) {
            return finish(started, RefreshOutcome.FAILED, "download failed: " + e.getMessage(), null, 0, 0, null);
        }
        TrustList candidate;
        try {
            candidate = parser.parse(doc.content());
        } catch (TrustListParseException e) {
            return finish(started, RefreshOutcome.REFUSED, e.getMessage(), null, 0, 0,
                    sha256(doc.content()));
        }
        if (!previous.isEmpty() && candidate.sha256().equals(previous.sha256())) {
            return finish(started, RefreshOutcome.UNCHANGED, "", candidate.entryCount(), 0, 0, candidate.sha256());
        }
        TrustListValidator.Verdict verdict = validator.validate(previous, candidate);
        String forced = "";
        if (!verdict.accepted() && acceptSmaller) {
            TrustListValidator.Verdict explicit = validator.validate(previous, candidate, true);
            if (explicit.accepted()) {
                forced = "smaller list accepted explicitly by an operator (" + verdict.reason() + ")";
                LOG.warn("liste blanche: {}", forced);
            }
            verdict = explicit;
        }
        if (!verdict.accepted()) {
            return finish(started, RefreshOutcome.REFUSED, verdict.reason(), candidate.entryCount(), 0, 0,
                    candidate.sha256());
        }
        TrustListDiff diff = TrustListDiff.between(previous, candidate);
        try {
            store.saveCurrent(new StoredTrustList(doc.content(), candidate.sha256(), candidate.entryCount(),
                    candidate.generatedAt().orElse(null), started, source.describe()));
        } catch (TrustListStoreException e) {
            LOG.warn("new liste blanche not persisted: {}", e.getMessage());
        }
        current.set(candidate);
        String note = candidate.missingRootEndTag() ? "closing root tag missing" : "";
        String reason = forced.isEmpty() ? note : note.isEmpty() ? forced : forced + "; " + note;
        return finish(started, RefreshOutcome.UPDATED, reason,
                candidate.entryCount(), diff.added().size(), diff.removed().size(), candidate.sha256());
    }

    /** Schedules {@link #refreshNow()} now and then every {@code interval}. */
    public synchronized void start(ScheduledExecutorService executor, Duration interval) {
        if (scheduled != null) {
            throw new IllegalStateException("already started");
        }
        scheduled = executor.scheduleWithFixedDelay(this::refreshQuietly, 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Cancels the schedule (the executor belongs to the caller). */
    public synchronized void stop() {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    private void refreshQuietly() {
        try {
            refreshNow();
        } catch (RuntimeException e) {
            LOG.error("liste blanche refresh crashed", e);
        }
    }

    private RefreshRecord finish(Instant started, RefreshOutcome outcome, String reason, Integer entries, int added,
                                 int removed, String sha256) {
        RefreshRecord record = new RefreshRecord(started, clock.instant(), source.describe(), outcome, reason, entries,
                added, removed, sha256);
        switch (outcome) {
            case UPDATED -> LOG.info("liste blanche updated: {} entries, +{} -{} pairs", entries, added, removed);
            case UNCHANGED -> LOG.debug("liste blanche unchanged");
            default -> LOG.warn("liste blanche refresh {}: {}; keeping {} entries", outcome, reason,
                    current.get().entryCount());
        }
        try {
            store.recordRefresh(record);
        } catch (TrustListStoreException e) {
            LOG.warn("refresh not recorded: {}", e.getMessage());
        }
        return record;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
