package fr.mssante.operator.directory.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.directory.parse.Dataset;

/**
 * The generation tables of a dataset: {@code directory.<table>_g<n>}, the current one behind the view
 * {@code directory.<table>}. Table names come from {@link Dataset} and generation numbers, never from input.
 */
final class GenerationTables {

    private static final Logger LOG = LoggerFactory.getLogger(GenerationTables.class);

    static String tableName(Dataset dataset, long generation) {
        return dataset.table() + "_g" + generation;
    }

    static String qualified(Dataset dataset, long generation) {
        return "directory." + tableName(dataset, generation);
    }

    /**
     * Current generation and the import that last changed it (0 when the dataset was never imported), the layout its
     * rows were stored with (null before incremental imports existed) and its number of keys (null when unknown).
     */
    record Current(long generation, long importId, String layout, Long keys) {
    }

    static Current current(Connection c, Dataset dataset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT g.generation, coalesce(g.import_id, 0), g.layout, "
            + "r.new_keys FROM directory.dataset_generation g LEFT JOIN directory.import_run r ON r.id = g.import_id "
            + "WHERE g.dataset = ?")) {
            ps.setString(1, dataset.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("dataset " + dataset + " missing from directory.dataset_generation");
                }
                return new Current(rs.getLong(1), rs.getLong(2), rs.getString(3), (Long) rs.getObject(4));
            }
        }
    }

    /**
     * Creates the table of a new generation. Called in the transaction that loads it, so that COPY can write frozen
     * rows (COPY ... FREEZE): no later hint-bit writes or anti-wraparound vacuum of the whole table, and a failed load
     * leaves no table behind.
     */
    static long create(Connection c, Dataset dataset, boolean unlogged) throws SQLException {
        long generation;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('directory.generation_seq')")) {
            rs.next();
            generation = rs.getLong(1);
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE " + (unlogged ? "UNLOGGED " : "") + "TABLE " + qualified(dataset, generation)
                + " (LIKE directory." + dataset.table() + "_template)");
        }
        return generation;
    }

    /**
     * Starts building the indexes of a new generation on two connections, then ANALYZE: the MSSanté trigram index on
     * names (the longest build, about as long as all the others together) runs on a second connection from the pool,
     * followed by ANALYZE; the other indexes are built on {@code c}. Returns once {@code c}'s builds are done; the
     * caller may then read the table on {@code c} (the diff) while the second connection works, and must
     * {@link Build#await()} it. ANALYZE waits for {@code c}'s builds by itself (its lock conflicts with CREATE INDEX,
     * not with reads). PostgreSQL 16 does not build GIN indexes in parallel, and parallel btree workers would only
     * compete for the same cores, so they are turned off.
     */
    static Build buildIndexes(DataSource dataSource, Connection c, Dataset dataset, long generation)
        throws SQLException {
        String t = qualified(dataset, generation);
        String n = tableName(dataset, generation);
        List<String> main = new ArrayList<>();
        List<String> side = new ArrayList<>();
        if (dataset == Dataset.MAILBOX) {
            String trgm = trigramOperatorClass(c);
            side.add(trigramOrPrefix(trgm, n, t, "norm_name"));
            side.add(analyze(dataset, generation));
            main.add("CREATE UNIQUE INDEX " + n + "_address ON " + t + " (address_key)");
            main.add("CREATE INDEX " + n + "_national_id ON " + t + " (national_id)");
            main.add(fingerprintIndex(n, t));
            main.add(trigramOrPrefix(trgm, n, t, "norm_city"));
        } else {
            main.add("CREATE INDEX " + n + "_national_id ON " + t + " (national_id)");
            main.add(fingerprintIndex(n, t));
            main.add(analyze(dataset, generation));
        }
        Build build = new Build();
        if (!side.isEmpty()) {
            build.start(dataSource, side);
        }
        boolean done = false;
        try {
            run(c, main);
            done = true;
            return build;
        } finally {
            if (!done) {
                build.close();
            }
        }
    }

    /**
     * The fingerprints, for the next import: read whole by an index-only scan (12 MB for the MSSanté file instead of
     * its 200 MB table), and the vanished ones found without a table scan.
     */
    private static String fingerprintIndex(String n, String t) {
        return "CREATE INDEX " + n + "_row_hash ON " + t + " (row_hash)";
    }

    /** Column statistics for the columns searched on; the others are left to autovacuum. */
    private static String analyze(Dataset dataset, long generation) {
        String columns = dataset == Dataset.MAILBOX
            ? "address_key, national_id, kind, postal_code, profession_code, specialty_code, norm_name, norm_last, "
                + "norm_first, norm_city, norm_org, norm_profession, norm_specialty"
            : "national_id";
        return "ANALYZE " + qualified(dataset, generation) + " (" + columns + ")";
    }

    /** Index builds running on a second connection. Closing it without awaiting cancels them. */
    static final class Build implements AutoCloseable {
        private ExecutorService executor;
        private Future<?> future;
        private final AtomicReference<Statement> running =
            new AtomicReference<>();

        private void start(DataSource dataSource, List<String> ddl) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "directory-index");
                thread.setDaemon(true);
                return thread;
            });
            future = executor.submit(() -> {
                try (Connection other = dataSource.getConnection(); Statement st = other.createStatement()) {
                    other.setAutoCommit(true);
                    running.set(st);
                    settings(st);
                    for (String sql : ddl) {
                        timed(st, sql);
                    }
                    st.execute("RESET maintenance_work_mem");
                    st.execute("RESET max_parallel_maintenance_workers");
                } finally {
                    running.set(null);
                }
                return null;
            });
        }

        /** Waits for the second connection's builds; rethrows their failure. */
        void await() throws SQLException {
            if (future != null) {
                GenerationTables.await(future);
            }
        }

        @Override
        public void close() {
            if (executor == null) {
                return;
            }
            if (!future.isDone()) {
                Statement st = running.get();
                if (st != null) {
                    try {
                        st.cancel();
                    } catch (SQLException e) {
                        LOG.debug("Could not cancel the index build: {}", e.getMessage());
                    }
                }
            }
            executor.shutdownNow();
        }
    }

    private static String trigramOrPrefix(String trgm, String n, String t, String column) {
        return trgm != null
            ? "CREATE INDEX " + n + "_" + column + "_trgm ON " + t + " USING gin (" + column + " " + trgm + ")"
            : "CREATE INDEX " + n + "_" + column + "_prefix ON " + t + " (" + column + " text_pattern_ops)";
    }

    private static void run(Connection c, List<String> ddl) throws SQLException {
        try (Statement st = c.createStatement()) {
            settings(st);
            for (String sql : ddl) {
                timed(st, sql);
            }
            st.execute("RESET maintenance_work_mem");
            st.execute("RESET max_parallel_maintenance_workers");
        }
    }

    private static void timed(Statement st, String sql) throws SQLException {
        long start = System.nanoTime();
        st.execute(sql);
        LOG.debug("{} ms: {}", (System.nanoTime() - start) / 1_000_000, sql);
    }

    /** GIN builds are several times faster when the posting lists fit in memory. */
    private static void settings(Statement st) throws SQLException {
        st.execute("SET maintenance_work_mem = '256MB'");
        st.execute("SET max_parallel_maintenance_workers = 0");
    }

    private static void await(Future<?> future) throws SQLException {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while indexing", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        }
    }

    /** The schema-qualified gin_trgm_ops operator class, or null without pg_trgm. */
    static String trigramOperatorClass(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
            "SELECT n.nspname FROM pg_opclass o JOIN pg_namespace n ON n.oid = o.opcnamespace "
                + "JOIN pg_am a ON a.oid = o.opcmethod WHERE o.opcname = 'gin_trgm_ops' AND a.amname = 'gin'")) {
            return rs.next() ? quoteIdent(rs.getString(1)) + ".gin_trgm_ops" : null;
        }
    }

    /** Points the view at the generation; call inside the swap transaction. */
    static void switchView(Connection c, Dataset dataset, long generation) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE VIEW directory." + dataset.table() + " AS SELECT * FROM "
                + qualified(dataset, generation));
        }
    }

    static void dropQuietly(Connection c, Dataset dataset, long generation) {
        try (Statement st = c.createStatement()) {
            st.execute("SET lock_timeout = '5s'");
            st.execute("DROP TABLE IF EXISTS " + qualified(dataset, generation));
            st.execute("RESET lock_timeout");
        } catch (SQLException e) {
            LOG.warn("Could not drop {} (dropped at the next import): {}", tableName(dataset, generation), e.getMessage());
        }
    }

    /** Drops generation tables left by interrupted imports (all but the current one). Call holding the import lock. */
    static void dropOrphans(Connection c, Dataset dataset, long current) throws SQLException {
        List<Long> orphans = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'directory' AND tablename ~ ?")) {
            ps.setString(1, "^" + dataset.table() + "_g[0-9]+$");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    long generation = Long.parseLong(name.substring(name.lastIndexOf("_g") + 2));
                    if (generation != current) {
                        orphans.add(generation);
                    }
                }
            }
        }
        for (long generation : orphans) {
            dropQuietly(c, dataset, generation);
        }
    }

    private static String quoteIdent(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
