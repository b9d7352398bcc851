package fr.mssante.operator.directory.load;

import fr.mssante.operator.directory.parse.Dataset;
import fr.mssante.operator.directory.parse.KeyObserver;
import fr.mssante.operator.directory.parse.LongHashSet;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The MSSanté diff computed while the file is parsed, instead of joining two generations of 536k rows in SQL after
 * the load (about 1.5 s of a core that the index builds need). The fingerprints of the current generation are
 * fetched on a second connection when the import starts; each parsed row whose fingerprint is not among them is new
 * or changed, and each old fingerprint not seen in the file is a removed or changed entry, whose key is then read
 * back. Mailboxes have one line per key, so a key's fingerprint is its line's.
 */
final class FingerprintDiff implements KeyObserver {

    private static final Logger LOG = LoggerFactory.getLogger(FingerprintDiff.class);

    private final Dataset dataset;
    private final long oldGeneration;
    private final CompletableFuture<LongHashSet> fetch;
    private LongHashSet old;
    private final LongHashSet seen = new LongHashSet();
    private final Set<String> newOnly = new HashSet<>();
    private long observed;

    private FingerprintDiff(Dataset dataset, long oldGeneration, CompletableFuture<LongHashSet> fetch) {
        this.dataset = dataset;
        this.oldGeneration = oldGeneration;
        this.fetch = fetch;
    }

    /** Whether the dataset has one line per key (the others are compared in SQL, see {@link ImportDiff}). */
    static boolean supports(Dataset dataset) {
        return dataset == Dataset.MAILBOX;
    }

    /** Starts reading the current generation's fingerprints on a connection of its own. */
    static FingerprintDiff start(DataSource dataSource, Dataset dataset, long oldGeneration) {
        CompletableFuture<LongHashSet> fetch = CompletableFuture.supplyAsync(() -> {
            long start = System.nanoTime();
            try (Connection c = dataSource.getConnection()) {
                LongHashSet hashes = new LongHashSet();
                c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (SELECT row_hash FROM "
                    + GenerationTables.qualified(dataset, oldGeneration) + " WHERE row_hash IS NOT NULL) TO STDOUT",
                    new LongLines(hashes));
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
        return new FingerprintDiff(dataset, oldGeneration, fetch);
    }

    @Override
    public void accept(String key, long fingerprint) {
        if (old == null) {
            old = await();
        }
        observed++;
        seen.add(fingerprint);
        if (!old.contains(fingerprint)) {
            newOnly.add(key);
        }
    }

    /** After the load: reads back the keys of the vanished fingerprints and keeps the differing keys. */
    DiffCounts finish(Connection c, boolean keepRows) throws SQLException {
        if (old == null) {
            old = await();
        }
        long start = System.nanoTime();
        long[] vanished = new long[old.size()];
        int[] count = {0};
        old.forEach(h -> {
            if (!seen.contains(h)) {
                vanished[count[0]++] = h;
            }
        });
        Set<String> oldOnly = new HashSet<>();
        String table = GenerationTables.qualified(dataset, oldGeneration);
        if (count[0] > 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + dataset.diffKey() + " FROM " + table
                + " WHERE row_hash = ANY (?)")) {
                Long[] values = new Long[count[0]];
                for (int i = 0; i < values.length; i++) {
                    values[i] = vanished[i];
                }
                ps.setArray(1, c.createArrayOf("bigint", values));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        oldOnly.add(rs.getString(1));
                    }
                }
            }
        }
        long previousKeys = old.size();
        if (loadedRows(c) != old.size()) {
            // rows loaded before row_hash existed have none: they count as changed (or removed)
            try (PreparedStatement ps = c.prepareStatement("SELECT " + dataset.diffKey() + " FROM " + table
                + " WHERE row_hash IS NULL"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    oldOnly.add(rs.getString(1));
                    previousKeys++;
                }
            }
        }
        DiffCounts counts = ImportDiff.keep(c, previousKeys, observed, newOnly, oldOnly, keepRows);
        LOG.debug("{} ms: diff finished, {}", (System.nanoTime() - start) / 1_000_000, counts);
        return counts;
    }

    /** Rows of the current generation according to the import that made it; -1 when unknown. */
    private long loadedRows(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT r.loaded_rows FROM directory.dataset_generation g "
            + "JOIN directory.import_run r ON r.id = g.import_id WHERE g.dataset = ? AND g.generation = ?")) {
            ps.setString(1, dataset.name());
            ps.setLong(2, oldGeneration);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : old.size() == 0 ? 0 : -1;
            }
        }
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
