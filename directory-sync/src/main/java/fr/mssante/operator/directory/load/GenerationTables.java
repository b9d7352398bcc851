package fr.mssante.operator.directory.load;

import fr.mssante.operator.directory.parse.Dataset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
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

    /** Current generation and the import that made it (0 when the dataset was never imported). */
    record Current(long generation, long importId) {
    }

    static Current current(Connection c, Dataset dataset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT generation, coalesce(import_id, 0) FROM directory.dataset_generation WHERE dataset = ?")) {
            ps.setString(1, dataset.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("dataset " + dataset + " missing from directory.dataset_generation");
                }
                return new Current(rs.getLong(1), rs.getLong(2));
            }
        }
    }

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
     * Builds the indexes of a new generation, then ANALYZE. The MSSanté trigram index on names (the longest build)
     * runs on a second connection at the same time as the others.
     */
    static void index(DataSource dataSource, Connection c, Dataset dataset, long generation) throws SQLException {
        String t = qualified(dataset, generation);
        String n = tableName(dataset, generation);
        List<String> main = new ArrayList<>();
        List<String> side = new ArrayList<>();
        if (dataset == Dataset.MAILBOX) {
            String trgm = trigramOperatorClass(c);
            side.add(trigramOrPrefix(trgm, n, t, "norm_name"));
            main.add("CREATE UNIQUE INDEX " + n + "_address ON " + t + " (address_key)");
            main.add("CREATE INDEX " + n + "_national_id ON " + t + " (national_id)");
            main.add(trigramOrPrefix(trgm, n, t, "norm_city"));
        } else {
            main.add("CREATE INDEX " + n + "_national_id ON " + t + " (national_id)");
        }
        ExecutorService executor = side.isEmpty() ? null : Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "directory-index");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<?> sideBuild = executor == null ? null : executor.submit(() -> {
                try (Connection other = dataSource.getConnection()) {
                    other.setAutoCommit(true);
                    run(other, side);
                }
                return null;
            });
            run(c, main);
            if (sideBuild != null) {
                await(sideBuild);
            }
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE " + t);
        }
    }

    private static String trigramOrPrefix(String trgm, String n, String t, String column) {
        return trgm != null
            ? "CREATE INDEX " + n + "_" + column + "_trgm ON " + t + " USING gin (" + column + " " + trgm + ")"
            : "CREATE INDEX " + n + "_" + column + "_prefix ON " + t + " (" + column + " text_pattern_ops)";
    }

    private static void run(Connection c, List<String> ddl) throws SQLException {
        try (Statement st = c.createStatement()) {
            // GIN builds are several times faster when the posting lists fit in memory
            st.execute("SET maintenance_work_mem = '256MB'");
            for (String sql : ddl) {
                st.execute(sql);
            }
            st.execute("RESET maintenance_work_mem");
        }
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
