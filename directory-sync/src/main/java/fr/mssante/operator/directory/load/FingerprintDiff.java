package fr.mssante.operator.directory.load;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.directory.parse.Dataset;
import fr.mssante.operator.directory.parse.KeyObserver;
import fr.mssante.operator.directory.parse.LongHashSet;

/**
 * The diff computed while the file is parsed, against the fingerprints of the current generation read on a second
 * connection when the import starts: each parsed row whose fingerprint is not among them is new or changed, and each
 * old fingerprint not seen in the file belongs to a removed or changed entry, whose key is then read back.
 *
 * <p>Two uses:
 * <ul>
 *   <li>{@link ImportMode#FULL} import of the MSSanté file (one line per key): replaces a SQL hash join of two
 *       generations of 536k rows after the load (about 1.5 s of a core that the index builds need);</li>
 *   <li>{@link ImportMode#INCREMENTAL} import of any dataset: lines already stored are {@link #stored}, so the parser
 *       neither derives nor loads them; {@link #vanished()} then lists the stored lines to delete.</li>
 * </ul>
 * The PS files have several lines per professional (the key), so there a key seen on one side only may still have
 * lines on the other: {@link #finish} asks the current generation before calling it added or removed.
 */
final class FingerprintDiff implements KeyObserver {

    private static final Logger LOG = LoggerFactory.getLogger(FingerprintDiff.class);

    private final Dataset dataset;
    private final long oldGeneration;
    private final boolean incremental;
    private final CompletableFuture<LongHashSet> fetch;
    private LongHashSet old;
    private final LongHashSet seen = new LongHashSet();
    private final Set<String> newOnly = new HashSet<>();
    private long observed;
    private long kept;
    private long[] vanished = new long[0];
    private String[] vanishedRows = new String[0];

    private FingerprintDiff(Dataset dataset, long oldGeneration, boolean incremental,
                            CompletableFuture<LongHashSet> fetch) {
        this.dataset = dataset;
        this.oldGeneration = oldGeneration;
        this.incremental = incremental;
        this.fetch = fetch;
    }

    /**
     * Whether a full import of the dataset is compared here (one line per key); the others are compared in SQL, see
     * {@link ImportDiff}. Incremental imports of every dataset are.
     */
    static boolean supportsFull(Dataset dataset) {
        return dataset == Dataset.MAILBOX;
    }

    /** Starts reading the current generation's fingerprints on a connection of its own. */
    static FingerprintDiff start(DataSource dataSource, Dataset dataset, long oldGeneration, boolean incremental) {
        CompletableFuture<LongHashSet> fetch = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try (Connection c = dataSource.getConnection()) {
                LongHashSet hashes = new LongHashSet();
                try (var st = c.createStatement()) {
                    // the fingerprint index (generations since 2026-11-24) holds them all: an index-only scan
                    st.execute("SET enable_seqscan = off");
                }
                c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT row_hash FROM "
                    + GenerationTables.qualified(dataset, oldGeneration) + " WHERE row_hash IS NOT NULL) TO STDOUT",
                    new LongLines(hashes));
                try (var st = c.createStatement()) {
                    st.execute("RESET enable_seqscan");
                }
                LOG.debug("{} ms: {} fingerprints of {} read", (System.nanoTime() - start) / 1_000_000, hashes.size(),
                    GenerationTables.tableName(dataset, oldGeneration));
                return hashes;
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the current fingerprints: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> {
            Thread thread = new Thread(runnable, "directory-diff");
            thread.setDaemon(true);
            thread.start();
        });
        return new FingerprintDiff(dataset, oldGeneration, incremental, fetch);
    }

    @Override
    public boolean stored(long fingerprint) {
        return incremental && old().contains(fingerprint);
    }

    @Override
    public void kept(long fingerprint) {
        observed++;
        kept++;
        seen.add(fingerprint);
    }

    @Override
    public void accept(String key, long fingerprint) {
        observed++;
        seen.add(fingerprint);
        if (!old().contains(fingerprint)) {
            newOnly.add(key);
        }
    }

    /** Lines accepted without being loaded, because they are stored already. */
    long keptLines() {
        return kept;
    }

    /** After {@link #finish}: the fingerprints of the stored lines that are not in the file any more. */
    long[] vanished() {
        return vanished;
    }

    /**
     * After {@link #finish}: where the vanished lines are ({@code ctid}s), so that they are deleted without another
     * scan of the table. Valid while the import holds its lock: nothing else writes the generation tables.
     */
    String[] vanishedRows() {
        return vanishedRows;
    }

    /**
     * After the load: reads back the keys of the vanished fingerprints, classifies the differing keys and keeps them
     * for {@link ImportDiff#store}.
     *
     * @param previousKeys for an incremental import of a PS file, the number of professionals of the current data
     *                     (its import's {@code new_keys}); ignored otherwise
     */
    DiffCounts finish(Connection c, boolean keepRows, long previousKeys) throws SQLException {
        long start = System.nanoTime();
        LongHashSet before = old();
        long[] gone = new long[before.size()];
        int[] count = {0};
        before.forEach(h -> {
            if (!seen.contains(h)) {
                gone[count[0]++] = h;
            }
        });
        vanished = Arrays.copyOf(gone, count[0]);
        Set<String> oldOnly = new HashSet<>();
        if (vanished.length > 0) {
            List<String> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT ctid::text, " + dataset.diffKey() + " FROM "
                + table() + " WHERE row_hash = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", Arrays.stream(vanished).boxed().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(rs.getString(1));
                        oldOnly.add(rs.getString(2));
                    }
                }
            }
            vanishedRows = rows.toArray(String[]::new);
        }
        long previousCount = before.size();
        if (!incremental && loadedRows(c) != before.size()) {
            // rows loaded before row_hash existed have none: they count as changed (or removed)
            try (PreparedStatement ps = c.prepareStatement("SELECT " + dataset.diffKey() + " FROM " + table()
                + " WHERE row_hash IS NULL"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    oldOnly.add(rs.getString(1));
                    previousCount++;
                }
            }
        }
        long newKeys = observed;
        if (dataset != Dataset.MAILBOX) {
            // a professional with a new line may have had others: changed, not added; one who lost a line may keep
            // others: changed, not removed
            List<String> onlyNew = newOnly.stream().filter(k -> !oldOnly.contains(k)).toList();
            List<String> onlyOld = oldOnly.stream().filter(k -> !newOnly.contains(k)).toList();
            oldOnly.addAll(keysOf(c, dataset.diffKey() + " = ANY (?)", onlyNew.toArray(String[]::new), null));
            newOnly.addAll(keysOf(c, dataset.diffKey() + " = ANY (?) AND row_hash <> ALL (?)",
                onlyOld.toArray(String[]::new), vanished));
            previousCount = previousKeys;
            long added = newOnly.stream().filter(k -> !oldOnly.contains(k)).count();
            long removed = oldOnly.stream().filter(k -> !newOnly.contains(k)).count();
            newKeys = previousKeys + added - removed;
        }
        DiffCounts counts = ImportDiff.keep(c, previousCount, newKeys, newOnly, oldOnly, keepRows);
        LOG.debug("{} ms: diff finished, {}", (System.nanoTime() - start) / 1_000_000, counts);
        return counts;
    }

    private String table() {
        return GenerationTables.qualified(dataset, oldGeneration);
    }

    /**
     * The distinct keys of the current generation's rows matching {@code condition}, whose parameters are the given
     * key array, then the fingerprint array (either may be absent: null).
     */
    private List<String> keysOf(Connection c, String condition, String[] keys, long[] hashes) throws SQLException {
        if (keys != null && keys.length == 0 || hashes != null && hashes.length == 0 && keys == null) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT " + dataset.diffKey() + " FROM " + table()
            + " WHERE " + condition)) {
            int parameter = 1;
            if (keys != null) {
                ps.setArray(parameter++, c.createArrayOf("text", keys));
            }
            if (hashes != null) {
                ps.setArray(parameter, c.createArrayOf("bigint", Arrays.stream(hashes).boxed().toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    /** Rows of the current generation according to the import that made it; -1 when unknown. */
    private long loadedRows(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT r.loaded_rows FROM directory.dataset_generation g "
            + "JOIN directory.import_run r ON r.id = g.import_id WHERE g.dataset = ? AND g.generation = ?")) {
            ps.setString(1, dataset.name());
            ps.setLong(2, oldGeneration);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : old().size() == 0 ? 0 : -1;
            }
        }
    }

    private LongHashSet old() {
        if (old == null) {
            old = await();
        }
        return old;
    }

    private LongHashSet await() {
        try {
            return fetch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Parses COPY text output of one bigint column, one value a line. */
    private static final class LongLines extends OutputStream {
        private final LongHashSet into;
        private long value;
        private boolean negative;

        LongLines(LongHashSet into) {
            this.into = into;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                into.add(negative ? -value : value);
                value = 0;
                negative = false;
            } else if (b == '-') {
                negative = true;
            } else {
                value = value * 10 + (b - '0');
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }
    }
}
