package fr.mssante.operator.directory.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.directory.parse.CopyLineSink;
import fr.mssante.operator.directory.parse.Dataset;
import fr.mssante.operator.directory.parse.ExtractionFormatException;
import fr.mssante.operator.directory.parse.ExtractionParser;
import fr.mssante.operator.directory.parse.KeyObserver;
import fr.mssante.operator.directory.parse.ParseSummary;
import fr.mssante.operator.directory.parse.ParsedHeader;
import fr.mssante.operator.directory.refresh.MailboxRefresh;
import fr.mssante.operator.directory.source.OpenedSource;
import fr.mssante.operator.directory.source.SourceEntry;
import fr.mssante.operator.directory.source.SourceOpener;

/**
 * Imports Annuaire Santé extraction files. Each text file (a zip may hold several) is streamed through the parser and
 * loaded with COPY, checked, compared with the current data and, when the safety rules agree, applied in one
 * transaction together with the stored diff and the history row. A failed or rejected import leaves the current data
 * untouched and records why. Two modes ({@link ImportMode}):
 * <ul>
 *   <li>{@link ImportMode#INCREMENTAL}, the daily case: lines already stored byte for byte (about 98% of a daily
 *       file) are only fingerprinted and counted; the others are loaded into a staging table ({@link DeltaTable})
 *       and applied to the current generation with the removed lines;</li>
 *   <li>{@link ImportMode#FULL}: a new generation table is loaded whole, indexed, compared, and switched in behind
 *       the dataset's view; for the first import, a new header layout or storage version, or on request.</li>
 * </ul>
 */
public final class DirectoryImporter {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryImporter.class);
    private static final long PROGRESS_EVERY_ROWS = 50_000;

    private final DataSource dataSource;
    private final SourceOpener opener;
    private final Clock clock;
    private final ImportHistory history;

    /** How long the diff rows and line issues of an import are kept (its history row stays). */
    public static final Duration DETAILS_RETENTION = Duration.ofDays(90);

    private final Duration detailsRetention;

    public DirectoryImporter(DataSource dataSource, SourceOpener opener, Clock clock) {
        this(dataSource, opener, clock, DETAILS_RETENTION);
    }

    public DirectoryImporter(DataSource dataSource, SourceOpener opener, Clock clock, Duration detailsRetention) {
        this.dataSource = dataSource;
        this.opener = opener;
        this.clock = clock;
        this.history = new ImportHistory(dataSource, clock);
        this.detailsRetention = detailsRetention;
    }

    /** Imports every text file of a local .txt/.zip or an http(s) URL. Never throws for a bad file: see the results. */
    public List<ImportResult> importSource(String fileOrUrl, ImportOptions options, ImportListener listener)
        throws SQLException {
        Instant start = clock.instant();
        OpenedSource source;
        try {
            source = opener.open(fileOrUrl);
        } catch (IOException | RuntimeException e) {
            long id = history.start(displayName(fileOrUrl), null);
            String reason = "cannot read source: " + e.getMessage();
            history.finish(null, id, ImportStatus.FAILED, reason, null, null, null, null, null);
            LOG.warn("Import {} failed: {}", id, reason);
            return List.of(new ImportResult(id, displayName(fileOrUrl), null, null, ImportStatus.FAILED, reason, null,
                null, Duration.ZERO, Duration.between(start, clock.instant())));
        }
        try (source) {
            List<ImportResult> results = new ArrayList<>();
            for (SourceEntry entry : source.entries()) {
                results.add(importEntry(source.name(), entry, options, listener));
            }
            return results;
        } catch (IOException e) {
            LOG.warn("Could not close source {}: {}", source.name(), e.getMessage());
            throw new SQLException("source close failed", e);
        }
    }

    /** Imports one text file. */
    public ImportResult importEntry(String sourceName, SourceEntry entry, ImportOptions options,
                                    ImportListener listener) throws SQLException {
        Instant start = clock.instant();
        long importId = history.start(sourceName, entry.name());
        Attempt attempt = new Attempt(importId, entry, options, listener, start);
        try {
            ImportResult result = attempt.run();
            if (result.status() == ImportStatus.APPLIED) {
                purgeOldDetails();
                if (result.dataset() == Dataset.MAILBOX) {
                    purgeRefreshedEntries();
                }
            }
            return result;
        } catch (IOException | ExtractionFormatException | SQLException | RuntimeException e) {
            String reason = e instanceof ExtractionFormatException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
            history.finish(null, importId, ImportStatus.FAILED, reason, attempt.dataset, attempt.mode,
                attempt.generation, attempt.parse, attempt.diff);
            LOG.warn("Import {} of {} failed, current data kept: {}", importId, entry.name(), reason);
            return attempt.result(ImportStatus.FAILED, reason);
        }
    }

    /** The state of one file's import, so that a failure can say how far it went. */
    private final class Attempt {
        private final long importId;
        private final SourceEntry entry;
        private final ImportOptions options;
        private final ImportListener listener;
        private final Instant start;
        private ParsedHeader header;
        private Dataset dataset;
        private ImportMode mode;
        private Long generation;
        private boolean tableCreated;
        private FingerprintDiff fingerprints;
        private ParseSummary parse;
        private DiffCounts diff;
        private Duration loadTime = Duration.ZERO;

        Attempt(long importId, SourceEntry entry, ImportOptions options, ImportListener listener, Instant start) {
            this.importId = importId;
            this.entry = entry;
            this.options = options;
            this.listener = listener;
            this.start = start;
        }

        ImportResult run() throws IOException, ExtractionFormatException, SQLException {
            header = ParsedHeader.parse(firstLine(entry));
            dataset = header.dataset();
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                if (!tryLock(c, dataset)) {
                    String reason = "another import of " + dataset + " is running";
                    history.finish(null, importId, ImportStatus.FAILED, reason, dataset, null, null, null, null);
                    return result(ImportStatus.FAILED, reason);
                }
                try {
                    return runLocked(c);
                } finally {
                    unlock(c, dataset);
                }
            }
        }

        private ImportResult runLocked(Connection c) throws IOException, ExtractionFormatException, SQLException {
            // the diff passes tens of thousands of keys and fingerprints as array parameters: a plan made for their
            // values hashes "= ANY (array)"; a generic plan (the driver prepares a statement run often on a pooled
            // connection) would compare each row with every element
            try (var st = c.createStatement()) {
                st.execute("SET plan_cache_mode = force_custom_plan");
            }
            try {
                return runLocked(c, GenerationTables.current(c, dataset));
            } finally {
                try (var st = c.createStatement()) {
                    st.execute("RESET plan_cache_mode");
                }
            }
        }

        private ImportResult runLocked(Connection c, GenerationTables.Current current)
            throws IOException, ExtractionFormatException, SQLException {
            GenerationTables.dropOrphans(c, dataset, current.generation());
            mode = incremental(current) ? ImportMode.INCREMENTAL : ImportMode.FULL;
            return mode == ImportMode.INCREMENTAL ? runIncremental(c, current) : runFull(c, current);
        }

        /**
         * Whether the file can be applied to the current generation: it was loaded by an import that recorded its
         * layout, the same as this file's (same columns at the same positions, same storage version), so that an
         * unchanged line is stored exactly as this import would store it.
         */
        private boolean incremental(GenerationTables.Current current) {
            return !options.rebuild() && current.importId() != 0 && header.layout().equals(current.layout())
                && (dataset == Dataset.MAILBOX || current.keys() != null);
        }

        private ImportResult runIncremental(Connection c, GenerationTables.Current current)
            throws IOException, ExtractionFormatException, SQLException {
            generation = current.generation();
            fingerprints = FingerprintDiff.start(dataSource, dataset, current.generation(), true);
            try {
                DeltaTable.create(c, dataset);
                long loaded = load(c, DeltaTable.NAME, "");
                loadTime = Duration.between(start, clock.instant());
                history.issues(importId, parse);
                String broken = checkIntegrity(loaded + fingerprints.keptLines());
                if (broken != null) {
                    return reject(broken);
                }
                progress(ImportProgress.Phase.COMPARING, parse.accepted());
                DeltaTable.index(c, dataset);
                diff = fingerprints.finish(c, true, current.keys() == null ? 0 : current.keys());
                String refusal = Optional.ofNullable(checkMalformed()).orElseGet(this::checkDiff);
                if (refusal != null && !options.force()) {
                    return reject(refusal);
                }
                progress(ImportProgress.Phase.SWAPPING, parse.accepted());
                applyDelta(c, current, refusal);
                LOG.info("Import {} of {} applied incrementally: {} rows ({} loaded), +{} -{} ~{}", importId,
                    entry.name(), parse.accepted(), loaded, diff.added(), diff.removed(), diff.changed());
                return result(ImportStatus.APPLIED, refusal == null ? null : "forced despite: " + refusal);
            } finally {
                DeltaTable.drop(c);
                ImportDiff.discard(c);
            }
        }

        private ImportResult runFull(Connection c, GenerationTables.Current current)
            throws IOException, ExtractionFormatException, SQLException {
            boolean applied = false;
            fingerprints = FingerprintDiff.supportsFull(dataset)
                ? FingerprintDiff.start(dataSource, dataset, current.generation(), false) : null;
            try {
                long copied = createAndLoad(c);
                loadTime = Duration.between(start, clock.instant());
                history.issues(importId, parse);
                String broken = checkIntegrity(copied);
                if (broken != null) {
                    return reject(broken);
                }
                progress(ImportProgress.Phase.INDEXING, copied);
                try (GenerationTables.Build build = GenerationTables.buildIndexes(dataSource, c, dataset, generation)) {
                    progress(ImportProgress.Phase.COMPARING, copied);
                    boolean keepRows = current.importId() != 0;
                    diff = fingerprints != null ? fingerprints.finish(c, keepRows, 0)
                        : ImportDiff.compute(c, dataset, current.generation(), generation, keepRows);
                    build.await();
                }
                String refusal = Optional.ofNullable(checkMalformed()).orElseGet(this::checkDiff);
                if (refusal != null && !options.force()) {
                    ImportDiff.discard(c);
                    return reject(refusal);
                }
                progress(ImportProgress.Phase.SWAPPING, copied);
                swap(c, current, refusal);
                applied = true;
                LOG.info("Import {} of {} applied: {} rows, +{} -{} ~{}", importId, entry.name(), copied,
                    diff.added(), diff.removed(), diff.changed());
                return result(ImportStatus.APPLIED, refusal == null ? null : "forced despite: " + refusal);
            } finally {
                if (applied) {
                    GenerationTables.dropQuietly(c, dataset, current.generation());
                } else if (tableCreated) {
                    GenerationTables.dropQuietly(c, dataset, generation);
                }
            }
        }

        private ImportResult reject(String refusal) throws SQLException {
            history.finish(null, importId, ImportStatus.REJECTED, refusal, dataset, mode, generation, parse, diff);
            LOG.warn("Import {} of {} rejected, current data kept: {}", importId, entry.name(), refusal);
            return result(ImportStatus.REJECTED, refusal);
        }

        /** Creates the generation table and loads it in one transaction (see {@link GenerationTables#create}). */
        private long createAndLoad(Connection c) throws IOException, ExtractionFormatException, SQLException {
            c.setAutoCommit(false);
            try {
                generation = GenerationTables.create(c, dataset, options.unloggedTables());
                long copied = load(c, GenerationTables.qualified(dataset, generation), " (FREEZE)");
                c.commit();
                tableCreated = true;
                return copied;
            } catch (IOException | ExtractionFormatException | SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }

        /** Streams the file through the parser into {@code table}; returns the rows copied. */
        private long load(Connection c, String table, String copyOptions)
            throws IOException, ExtractionFormatException, SQLException {
            PGConnection pg = c.unwrap(PGConnection.class);
            String columns = String.join(", ", dataset.storedColumns());
            CopyRowWriter writer = new CopyRowWriter(pg.getCopyAPI().copyIn(
                "COPY " + table + " (" + columns + ") FROM STDIN" + copyOptions));
            boolean done = false;
            try (CountingInputStream in = new CountingInputStream(entry.open())) {
                // progress counts accepted lines: loaded ones, and in an incremental import the stored ones kept
                long[] rows = {0};
                Runnable counted = () -> {
                    if (++rows[0] % PROGRESS_EVERY_ROWS == 0) {
                        listener.onProgress(new ImportProgress(entry.name(), ImportProgress.Phase.LOADING, rows[0],
                            in.count(), entry.size(), Duration.between(start, clock.instant())));
                    }
                };
                KeyObserver keys = fingerprints == null ? null : new KeyObserver() {
                    @Override
                    public void accept(String key, long fingerprint) {
                        fingerprints.accept(key, fingerprint);
                        counted.run();
                    }

                    @Override
                    public boolean stored(long fingerprint) {
                        return fingerprints.stored(fingerprint);
                    }

                    @Override
                    public void kept(long fingerprint) {
                        fingerprints.kept(fingerprint);
                        counted.run();
                    }
                };
                parse = new ExtractionParser().parse(in, (CopyLineSink) (line, offset, length) -> {
                    writer.accept(line, offset, length);
                    if (keys == null) {
                        counted.run();
                    }
                }, keys);
                long copied = writer.finish();
                done = true;
                return copied;
            } finally {
                if (!done) {
                    writer.cancel();
                }
            }
        }

        /** @param stored rows now in the database for this file (copied, plus kept ones of an incremental import) */
        /**
         * What no {@code --force} can override: the rows in the database are not the rows parsed, or there are none.
         *
         * @param stored rows now in the database for this file (copied, plus kept ones of an incremental import)
         */
        private String checkIntegrity(long stored) {
            if (stored != parse.accepted()) {
                return "loaded " + stored + " rows but parsed " + parse.accepted();
            }
            if (parse.accepted() == 0) {
                return "no valid row in the file";
            }
            return null;
        }

        /** The malformed-lines rule (an operator may force it). */
        private String checkMalformed() {
            double malformedRatio = parse.dataLines() == 0 ? 0 : (double) parse.malformed() / parse.dataLines();
            if (malformedRatio > options.maxMalformedRatio()) {
                return String.format(Locale.ROOT, "%d of %d lines malformed (%.1f%% > %.1f%%)",
                    parse.malformed(), parse.dataLines(), malformedRatio * 100, options.maxMalformedRatio() * 100);
            }
            return null;
        }

        private String checkDiff() {
            if (diff.vanishedRatio() > options.maxVanishedRatio()) {
                return String.format(Locale.ROOT, "%d of %d entries would vanish (%.1f%% > %.1f%%)",
                    diff.removed(), diff.previousKeys(), diff.vanishedRatio() * 100, options.maxVanishedRatio() * 100);
            }
            return null;
        }

        private void swap(Connection c, GenerationTables.Current current, String forcedReason) throws SQLException {
            c.setAutoCommit(false);
            try {
                try (var st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '30s'");
                }
                lockGenerationRow(c);
                if (current.importId() != 0) {
                    ImportDiff.store(c, importId, dataset, current.generation(), generation);
                }
                finishApplied(c, forcedReason);
                GenerationTables.switchView(c, dataset, generation);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
                ImportDiff.discard(c);
            }
        }

        /**
         * Applies an incremental import in one transaction: the differing entries are stored with their rows before
         * and after, the vanished lines deleted from the current generation, the staged ones inserted (their index
         * entries added as they go: a few thousand rows on a daily file).
         */
        private void applyDelta(Connection c, GenerationTables.Current current, String forcedReason)
            throws SQLException {
            String table = GenerationTables.qualified(dataset, current.generation());
            c.setAutoCommit(false);
            try {
                try (var st = c.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '30s'");
                }
                lockGenerationRow(c);
                long t0 = System.nanoTime();
                if (dataset == Dataset.MAILBOX) {
                    ImportDiff.replaceMailboxes(c, importId, table, fingerprints.vanishedRows(),
                        fingerprints.vanished());
                } else {
                    ImportDiff.storePsChanges(c, importId, dataset, table, fingerprints.vanished());
                    DeltaTable.delete(c, table, fingerprints.vanishedRows(), fingerprints.vanished());
                }
                long t1 = System.nanoTime();
                DeltaTable.insert(c, dataset, table);
                long t2 = System.nanoTime();
                finishApplied(c, forcedReason);
                c.commit();
                LOG.debug("Import {} applied: diff stored and vanished rows deleted in {} ms, staged rows inserted in "
                    + "{} ms, commit {} ms", importId, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    (System.nanoTime() - t2) / 1_000_000);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            long differing = diff.added() + diff.removed() + diff.changed();
            if (differing > Math.max(1000, diff.previousKeys() / 10)) {
                // many rows replaced: refresh the planner's statistics now rather than at autovacuum's pace
                try (var st = c.createStatement()) {
                    st.execute("ANALYZE " + table);
                }
            }
        }

        /** The history row and the dataset's pointer, in the applying transaction. */
        private void finishApplied(Connection c, String forcedReason) throws SQLException {
            history.finish(c, importId, ImportStatus.APPLIED,
                forcedReason == null ? null : "forced despite: " + forcedReason, dataset, mode, generation, parse, diff);
            try (PreparedStatement ps = c.prepareStatement("UPDATE directory.dataset_generation "
                + "SET generation = ?, import_id = ?, layout = ?, swapped_at = now() WHERE dataset = ?")) {
                ps.setLong(1, generation);
                ps.setLong(2, importId);
                ps.setString(3, header.layout());
                ps.setString(4, dataset.name());
                ps.executeUpdate();
            }
        }

        private void lockGenerationRow(Connection c) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                "SELECT generation FROM directory.dataset_generation WHERE dataset = ? FOR UPDATE")) {
                ps.setString(1, dataset.name());
                ps.executeQuery().close();
            }
        }

        private void progress(ImportProgress.Phase phase, long rows) {
            listener.onProgress(new ImportProgress(entry.name(), phase, rows, entry.size(), entry.size(),
                Duration.between(start, clock.instant())));
        }

        ImportResult result(ImportStatus status, String reason) {
            return new ImportResult(importId, entry.name(), dataset, mode, status, reason, parse, diff, loadTime,
                Duration.between(start, clock.instant()));
        }
    }

    /** On-demand refreshes that the extraction now lists, or too old to be used. */
    private void purgeRefreshedEntries() {
        try (Connection c = dataSource.getConnection()) {
            MailboxRefresh.purge(c, clock);
        } catch (SQLException e) {
            LOG.warn("Could not purge refreshed directory entries (retried after the next import): {}", e.getMessage());
        }
    }

    private void purgeOldDetails() {
        try {
            long purged = history.purgeDetails(detailsRetention);
            if (purged > 0) {
                LOG.info("Purged {} diff rows of imports older than {}", purged, detailsRetention);
            }
        } catch (SQLException e) {
            LOG.warn("Could not purge old import details (retried after the next import): {}", e.getMessage());
        }
    }

    private static String firstLine(SourceEntry entry) throws IOException {
        try (InputStream in = entry.open();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.readLine();
        }
    }

    private static boolean tryLock(Connection c, Dataset dataset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            ps.setString(1, "directory.import." + dataset.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c, Dataset dataset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            ps.setString(1, "directory.import." + dataset.name());
            ps.executeQuery().close();
        }
    }

    /** A URL without its query string (which may hold a token); a file name as given. */
    private static String displayName(String fileOrUrl) {
        int q = fileOrUrl.indexOf('?');
        return q < 0 ? fileOrUrl : fileOrUrl.substring(0, q);
    }
}
