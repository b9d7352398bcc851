package fr.mssante.operator.directory.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

import org.slf4j.LoggerFactory;

import fr.mssante.operator.directory.parse.Dataset;

/**
 * The staging table of an incremental import ({@link ImportMode#INCREMENTAL}): a temporary table with the dataset's
 * columns, loaded by COPY with the new and changed lines only (about 2% of a daily file), then applied to the
 * current generation with the removed lines in the import's transaction. Temporary tables are not written to the
 * WAL; this one lives on the import's connection and is dropped when the import ends.
 */
final class DeltaTable {

    static final String NAME = "pg_temp.directory_import_delta";

    private DeltaTable() {
    }

    static void create(Connection c, Dataset dataset) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + NAME);
            st.execute("CREATE TEMP TABLE directory_import_delta (LIKE directory." + dataset.table() + "_template)");
        }
    }

    /** Indexes the staged rows on the dataset's key and gathers their statistics, for the diff's look-ups. */
    static void index(Connection c, Dataset dataset) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE INDEX ON " + NAME + " (" + dataset.diffKey() + ")");
            st.execute("ANALYZE " + NAME);
        }
    }

    /**
     * Deletes the vanished lines from {@code table}: at {@code rows} (their ctids, read with their keys), checked
     * against their fingerprints.
     */
    static void delete(Connection c, String table, String[] rows, long[] vanished) throws SQLException {
        if (vanished.length == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
            + " WHERE ctid = ANY (?::tid[]) AND row_hash = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", rows));
            ps.setArray(2, c.createArrayOf("bigint", Arrays.stream(vanished).boxed().toArray()));
            int deleted = ps.executeUpdate();
            if (deleted != vanished.length) {
                throw new SQLException("expected to delete " + vanished.length + " vanished rows, deleted " + deleted);
            }
        }
    }

    /** Inserts the staged rows into {@code table} (their index entries added one by one: a few thousand a day). */
    static void insert(Connection c, Dataset dataset, String table) throws SQLException {
        String columns = String.join(", ", dataset.storedColumns());
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + NAME);
        }
    }

    static void drop(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + NAME);
        } catch (SQLException e) {
            // the connection is going back to the pool broken; the table dies with the session
            LoggerFactory.getLogger(DeltaTable.class).debug("Could not drop {}: {}", NAME, e.getMessage());
        }
    }
}
