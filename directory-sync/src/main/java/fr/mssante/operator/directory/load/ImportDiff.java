package fr.mssante.operator.directory.load;

import fr.mssante.operator.directory.parse.Dataset;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Compares a new generation with the current one. The extractions have no ids or dates: a mailbox is keyed by its
 * address, a professional (PS files) by national id with all their lines together; "changed" means the source line
 * differs (compared by its 64-bit fingerprint, {@code row_hash}; for a professional, the XOR and count of theirs). The keys that differ are kept in a temporary table until {@link #store} or {@link #discard}.
 */
final class ImportDiff {

    private static final String TEMP = "directory_import_diff";

    private ImportDiff() {
    }

    static DiffCounts compute(Connection c, Dataset dataset, long oldGeneration, long newGeneration)
        throws SQLException {
        String key = dataset.diffKey();
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pg_temp." + TEMP);
            st.execute("CREATE TEMP TABLE " + TEMP + " AS SELECT n.k AS new_key, o.k AS old_key, "
                + "(n.h, n.c) IS DISTINCT FROM (o.h, o.c) AS differs FROM (" + hashes(dataset, newGeneration, key) + ") n "
                + "FULL JOIN (" + hashes(dataset, oldGeneration, key) + ") o ON n.k = o.k");
            try (ResultSet rs = st.executeQuery("SELECT count(old_key), count(new_key), "
                + "count(*) FILTER (WHERE old_key IS NULL), count(*) FILTER (WHERE new_key IS NULL), "
                + "count(*) FILTER (WHERE old_key IS NOT NULL AND new_key IS NOT NULL AND differs) FROM " + TEMP)) {
                rs.next();
                return new DiffCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
            }
        }
    }

    /** Stores the differing entries with their rows (before and after) under the import. */
    static void store(Connection c, long importId, Dataset dataset, long oldGeneration, long newGeneration)
        throws SQLException {
        String key = dataset.diffKey();
        String oldTable = GenerationTables.qualified(dataset, oldGeneration);
        String newTable = GenerationTables.qualified(dataset, newGeneration);
        boolean single = dataset == Dataset.MAILBOX;
        String rowsOf = single ? "(SELECT to_jsonb(x) FROM %s x WHERE x." + key + " = d.%s)"
            : "(SELECT jsonb_agg(to_jsonb(x)) FROM %s x WHERE x." + key + " = d.%s)";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO directory.import_change "
            + "(import_id, change, key, before, after) SELECT ?, "
            + "CASE WHEN d.old_key IS NULL THEN 'ADDED' WHEN d.new_key IS NULL THEN 'REMOVED' ELSE 'CHANGED' END, "
            + "coalesce(d.new_key, d.old_key), "
            + "CASE WHEN d.old_key IS NULL THEN NULL ELSE " + String.format(rowsOf, oldTable, "old_key") + " END, "
            + "CASE WHEN d.new_key IS NULL THEN NULL ELSE " + String.format(rowsOf, newTable, "new_key") + " END "
            + "FROM pg_temp." + TEMP + " d WHERE d.differs")) {
            ps.setLong(1, importId);
            ps.executeUpdate();
        }
    }

    static void discard(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pg_temp." + TEMP);
        }
    }

    private static String hashes(Dataset dataset, long generation, String key) {
        String table = GenerationTables.qualified(dataset, generation);
        if (dataset == Dataset.MAILBOX) {
            return "SELECT t." + key + " AS k, t.row_hash AS h, 1 AS c FROM " + table + " t";
        }
        return "SELECT t." + key + " AS k, bit_xor(t.row_hash) AS h, count(*) AS c FROM " + table + " t GROUP BY t." + key;
    }
}
