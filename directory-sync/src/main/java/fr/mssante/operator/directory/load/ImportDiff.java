package fr.mssante.operator.directory.load;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.directory.parse.Dataset;

/**
 * Compares a new generation with the current one. The extractions have no ids or dates: a mailbox is keyed by its
 * address, a professional (PS files) by national id with all their lines together; "changed" means the source line
 * differs (compared by its 64-bit fingerprint, {@code row_hash}; for a professional, the XOR and count of theirs).
 * {@link #compute} makes one hash join, counts, and keeps only the differing keys (about 2% of a daily file) in a
 * temporary table; it runs while the last index is being built. The entries of a key that appears on only one side
 * of the join were added, removed, or (on both sides) changed. {@link #store} then writes those entries with their
 * rows inside the swap transaction, and {@link #discard} drops the temporary table.
 */
final class ImportDiff {

    private static final Logger LOG = LoggerFactory.getLogger(ImportDiff.class);

    private static final String TEMP = "directory_import_diff";

    private ImportDiff() {
    }

    /** @param keepRows whether {@link #store} will be called (not for the first import of a dataset) */
    static DiffCounts compute(Connection c, Dataset dataset, long oldGeneration, long newGeneration, boolean keepRows)
        throws SQLException {
        long previousKeys;
        long newKeys;
        Set<String> newOnly = new HashSet<>();
        Set<String> oldOnly = new HashSet<>();
        try (Statement st = c.createStatement()) {
            // the hash join of two generations (536k entries each for MSSanté) spills to disk in batches with the
            // default 4 MB
            st.execute("SET work_mem = '256MB'");
            long start = System.nanoTime();
            try (ResultSet rs = st.executeQuery("SELECT count(o.k), count(n.k), "
                + "array_agg(n.k) FILTER (WHERE o.k IS NULL), array_agg(o.k) FILTER (WHERE n.k IS NULL) "
                + "FROM (" + hashes(dataset, newGeneration) + ") n FULL JOIN (" + hashes(dataset, oldGeneration)
                + ") o ON n.h = o.h AND n.c = o.c")) {
                rs.next();
                previousKeys = rs.getLong(1);
                newKeys = rs.getLong(2);
                addAll(newOnly, rs.getArray(3));
                addAll(oldOnly, rs.getArray(4));
                LOG.debug("{} ms: diff join of {} and {}", (System.nanoTime() - start) / 1_000_000,
                    GenerationTables.tableName(dataset, newGeneration), GenerationTables.tableName(dataset, oldGeneration));
            } finally {
                st.execute("RESET work_mem");
            }
        }
        return keep(c, previousKeys, newKeys, newOnly, oldOnly, keepRows);
    }

    /**
     * Classifies the keys found on one side only (both sides: changed) and keeps the differing keys in the temporary
     * table for {@link #store}.
     */
    static DiffCounts keep(Connection c, long previousKeys, long newKeys, Set<String> newOnly, Set<String> oldOnly,
                           boolean keepRows) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pg_temp." + TEMP);
            st.execute("CREATE TEMP TABLE " + TEMP + " (new_key text, old_key text)");
        }
        List<String> newKeysColumn = new ArrayList<>();
        List<String> oldKeysColumn = new ArrayList<>();
        long added = 0;
        long changed = 0;
        for (String key : newOnly) {
            boolean existed = oldOnly.contains(key);
            newKeysColumn.add(key);
            oldKeysColumn.add(existed ? key : null);
            if (existed) {
                changed++;
            } else {
                added++;
            }
        }
        long removed = 0;
        for (String key : oldOnly) {
            if (!newOnly.contains(key)) {
                newKeysColumn.add(null);
                oldKeysColumn.add(key);
                removed++;
            }
        }
        if (keepRows && !newKeysColumn.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO " + TEMP + " SELECT * FROM unnest(?::text[], ?::text[])")) {
                ps.setArray(1, c.createArrayOf("text", newKeysColumn.toArray()));
                ps.setArray(2, c.createArrayOf("text", oldKeysColumn.toArray()));
                ps.executeUpdate();
            }
            try (Statement st = c.createStatement()) {
                // temporary tables get no statistics by themselves: without them the joins with the day's rows are
                // planned as nested loops over sequential scans
                st.execute("ANALYZE pg_temp." + TEMP);
            }
        }
        return new DiffCounts(previousKeys, newKeys, added, removed, changed);
    }

    private static void addAll(Set<String> keys, Array array) throws SQLException {
        if (array != null) {
            for (Object key : (Object[]) array.getArray()) {
                keys.add((String) key);
            }
        }
    }

    /** Stores the differing entries with their rows (before and after) under the import. */
    static void store(Connection c, long importId, Dataset dataset, long oldGeneration, long newGeneration)
        throws SQLException {
        String oldTable = GenerationTables.qualified(dataset, oldGeneration);
        String newTable = GenerationTables.qualified(dataset, newGeneration);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO directory.import_change "
            + "(import_id, change, key, before, after) SELECT ?, " + CHANGE + ", coalesce(d.new_key, d.old_key), "
            + "CASE WHEN d.old_key IS NULL THEN NULL ELSE " + rowsOf(dataset, oldTable, "d.old_key") + " END, "
            + "CASE WHEN d.new_key IS NULL THEN NULL ELSE " + rowsOf(dataset, newTable, "d.new_key") + " END "
            + "FROM pg_temp." + TEMP + " d")) {
            ps.setLong(1, importId);
            ps.executeUpdate();
        }
    }

    /**
     * Incremental import of the MSSanté file (one line per key), in one statement: deletes the vanished lines from
     * {@code table} (at {@code rows}, their ctids, checked against their fingerprints) and stores each differing entry with its deleted row (before) and its staged row (after), joined
     * by hash. The staged rows are inserted afterwards ({@link DeltaTable#insert}).
     */
    static void replaceMailboxes(Connection c, long importId, String table, String[] rows, long[] vanished)
        throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM " + table
            + " WHERE ctid = ANY (?::tid[]) AND row_hash = ANY (?) RETURNING *), "
            + "stored AS (INSERT INTO directory.import_change (import_id, change, key, before, after) "
            + "SELECT ?, " + CHANGE + ", coalesce(d.new_key, d.old_key), " + json(Dataset.MAILBOX, "g") + ", "
            + json(Dataset.MAILBOX, "n") + " "
            + "FROM pg_temp." + TEMP + " d LEFT JOIN gone g ON g.address_key = d.old_key "
            + "LEFT JOIN " + DeltaTable.NAME + " n ON n.address_key = d.new_key RETURNING 1) "
            + "SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM stored)")) {
            ps.setArray(1, c.createArrayOf("text", rows));
            ps.setArray(2, c.createArrayOf("bigint", Arrays.stream(vanished).boxed().toArray()));
            ps.setLong(3, importId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != vanished.length) {
                    throw new SQLException("expected to delete " + vanished.length + " vanished rows, deleted "
                        + rs.getLong(1));
                }
            }
        }
    }

    /**
     * Incremental import of a PS file, before the change is applied to {@code table}: stores each differing
     * professional with their lines before (in {@code table}) and after (their lines in {@code table} that did not
     * vanish, plus their staged lines; the staging table is indexed on the key by then).
     */
    static void storePsChanges(Connection c, long importId, Dataset dataset, String table, long[] vanished)
        throws SQLException {
        String key = dataset.diffKey();
        String columns = String.join(", ", dataset.storedColumns());
        String after = "(SELECT jsonb_agg(" + json(dataset, "x") + " ORDER BY x.row_hash) FROM (SELECT " + columns + " FROM " + table
            + " y WHERE y." + key + " = d.new_key AND NOT (y.row_hash = ANY (?)) UNION ALL SELECT " + columns
            + " FROM " + DeltaTable.NAME + " z WHERE z." + key + " = d.new_key) x)";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO directory.import_change "
            + "(import_id, change, key, before, after) SELECT ?, " + CHANGE + ", coalesce(d.new_key, d.old_key), "
            + "CASE WHEN d.old_key IS NULL THEN NULL ELSE " + rowsOf(dataset, table, "d.old_key") + " END, "
            + "CASE WHEN d.new_key IS NULL THEN NULL ELSE " + after + " END "
            + "FROM pg_temp." + TEMP + " d")) {
            ps.setLong(1, importId);
            ps.setArray(2, c.createArrayOf("bigint", Arrays.stream(vanished).boxed().toArray()));
            ps.executeUpdate();
        }
    }

    private static final String CHANGE =
        "CASE WHEN d.old_key IS NULL THEN 'ADDED' WHEN d.new_key IS NULL THEN 'REMOVED' ELSE 'CHANGED' END";

    /**
     * A row as stored in the diff: its file columns that have a value, as a JSON object. The derived columns and the
     * fingerprint are left out: they add nothing for a reader, and the smaller object stays inline (no TOAST), which
     * halves the cost of storing a day's diff.
     */
    private static String json(Dataset dataset, String alias) {
        List<String> dropped = new ArrayList<>(dataset.derivedColumns());
        dropped.add(Dataset.ROW_HASH);
        return "jsonb_strip_nulls(to_jsonb(" + alias + ") - '{" + String.join(",", dropped) + "}'::text[])";
    }

    /** A mailbox's row as a JSON object; a professional's rows as a JSON array, in fingerprint order. */
    private static String rowsOf(Dataset dataset, String table, String key) {
        String rows = dataset == Dataset.MAILBOX ? json(dataset, "x")
            : "jsonb_agg(" + json(dataset, "x") + " ORDER BY x.row_hash)";
        return "(SELECT " + rows + " FROM " + table + " x WHERE x." + dataset.diffKey() + " = " + key + ")";
    }

    static void discard(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS pg_temp." + TEMP);
        }
    }

    /**
     * One row per key with the fingerprint of its lines and their count. Two generations are joined on the
     * fingerprint, not the key: a bigint hashes faster than a text, and a key whose lines did not change matches on
     * its fingerprint anyway (the lines include the key). Rows without fingerprint (tables loaded before
     * {@code row_hash} existed) never match, so they show as changed.
     */
    private static String hashes(Dataset dataset, long generation) {
        String key = dataset.diffKey();
        String table = GenerationTables.qualified(dataset, generation);
        if (dataset == Dataset.MAILBOX) {
            return "SELECT t." + key + " AS k, t.row_hash AS h, 1 AS c FROM " + table + " t";
        }
        return "SELECT t." + key + " AS k, bit_xor(t.row_hash) AS h, count(*) AS c FROM " + table + " t GROUP BY t." + key;
    }
}
