package fr.mssante.operator.directory.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import fr.mssante.operator.directory.parse.Dataset;

/**
 * Read side of the import history, for the operators' console: the imports (newest first), one import with its
 * reported lines, and the entries it added, removed or changed. Rows come back as ordered maps of column values
 * (timestamps as ISO strings, JSON as text), ready for a JSON answer.
 */
public final class ImportRecords {

    private static final String RUN_COLUMNS = "id, dataset, mode, status, reason, source, entry, started_at, "
        + "finished_at, data_lines, loaded_rows, malformed_lines, duplicate_lines, previous_keys, new_keys, added, "
        + "removed, changed";
    private static final Set<String> CHANGES = Set.of("ADDED", "REMOVED", "CHANGED");
    private static final int MAX_LIMIT = 500;

    private final DataSource dataSource;

    public ImportRecords(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Imports, newest first; {@code dataset} null for all. */
    public List<Map<String, Object>> imports(String dataset, int offset, int limit) throws SQLException {
        String normalised = dataset == null ? null : dataset.toUpperCase(Locale.ROOT);
        if (normalised != null && Arrays.stream(Dataset.values())
            .noneMatch(d -> d.name().equals(normalised))) {
            throw new IllegalArgumentException("unknown dataset " + dataset);
        }
        return query("SELECT " + RUN_COLUMNS + " FROM directory.import_run WHERE (?::text IS NULL OR dataset = ?) "
            + "ORDER BY id DESC LIMIT ? OFFSET ?", normalised, normalised, limit(limit), offset(offset));
    }

    /** One import with the first {@code issues} reported lines. */
    public Optional<Map<String, Object>> find(long id, int issues) throws SQLException {
        List<Map<String, Object>> runs = query("SELECT " + RUN_COLUMNS + " FROM directory.import_run WHERE id = ?", id);
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> run = runs.get(0);
        run.put("issues", query("SELECT line, kind, message FROM directory.import_issue WHERE import_id = ? "
            + "ORDER BY line LIMIT ?", id, limit(issues)));
        return Optional.of(run);
    }

    /** The stored diff of an import: key, change, before and after (JSON), by key; {@code change} null for all. */
    public List<Map<String, Object>> changes(long id, String change, int offset, int limit) throws SQLException {
        String normalised = change == null ? null : change.toUpperCase(Locale.ROOT);
        if (normalised != null && !CHANGES.contains(normalised)) {
            throw new IllegalArgumentException("change must be ADDED, REMOVED or CHANGED");
        }
        return query("SELECT key, change, before::text AS before, after::text AS after FROM directory.import_change "
            + "WHERE import_id = ? AND (?::text IS NULL OR change = ?) ORDER BY key LIMIT ? OFFSET ?",
            id, normalised, normalised, limit(limit), offset(offset));
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    private static int offset(int offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        return offset;
    }

    private List<Map<String, Object>> query(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= meta.getColumnCount(); column++) {
                        Object value = rs.getObject(column);
                        row.put(camel(meta.getColumnLabel(column)), value instanceof Timestamp t
                            ? t.toInstant().toString() : value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    /** "started_at" -> "startedAt". */
    private static String camel(String column) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char ch : column.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return sb.toString();
    }
}
