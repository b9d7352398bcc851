package fr.mssante.operator.directory.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import fr.mssante.operator.directory.parse.Dataset;
import fr.mssante.operator.directory.parse.LineIssue;
import fr.mssante.operator.directory.parse.ParseSummary;

/** Rows of {@code directory.import_run} and {@code directory.import_issue}, each written in its own transaction. */
final class ImportHistory {

    private final DataSource dataSource;
    private final Clock clock;

    ImportHistory(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    long start(String source, String entry) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
            "INSERT INTO directory.import_run (source, entry, started_at, status) VALUES (?, ?, ?, 'RUNNING') RETURNING id")) {
            ps.setString(1, source);
            ps.setString(2, entry);
            ps.setTimestamp(3, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    void issues(long importId, ParseSummary parse) throws SQLException {
        if (parse.issues().isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
            "INSERT INTO directory.import_issue (import_id, line, kind, message) VALUES (?, ?, ?, ?)")) {
            for (LineIssue issue : parse.issues()) {
                ps.setLong(1, importId);
                ps.setLong(2, issue.line());
                ps.setString(3, issue.kind().name());
                ps.setString(4, issue.message());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Records the outcome; uses {@code c} when given (to be part of the swap transaction), else a new connection. */
    void finish(Connection c, long importId, ImportStatus status, String reason, Dataset dataset, ImportMode mode,
                Long generation, ParseSummary parse, DiffCounts diff) throws SQLException {
        if (c == null) {
            try (Connection own = dataSource.getConnection()) {
                finish(own, importId, status, reason, dataset, mode, generation, parse, diff);
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE directory.import_run SET finished_at = ?, status = ?, "
            + "reason = ?, dataset = ?, generation = ?, data_lines = ?, loaded_rows = ?, malformed_lines = ?, "
            + "duplicate_lines = ?, previous_keys = ?, new_keys = ?, added = ?, removed = ?, changed = ?, mode = ? "
            + "WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(clock.instant()));
            ps.setString(2, status.name());
            ps.setString(3, reason);
            ps.setString(4, dataset == null ? null : dataset.name());
            setLong(ps, 5, generation);
            setLong(ps, 6, parse == null ? null : parse.dataLines());
            setLong(ps, 7, parse == null ? null : parse.accepted());
            setLong(ps, 8, parse == null ? null : parse.malformed());
            setLong(ps, 9, parse == null ? null : parse.duplicates());
            setLong(ps, 10, diff == null ? null : diff.previousKeys());
            setLong(ps, 11, diff == null ? null : diff.newKeys());
            setLong(ps, 12, diff == null ? null : diff.added());
            setLong(ps, 13, diff == null ? null : diff.removed());
            setLong(ps, 14, diff == null ? null : diff.changed());
            ps.setString(15, mode == null ? null : mode.name());
            ps.setLong(16, importId);
            ps.executeUpdate();
        }
    }

    /**
     * Deletes the stored diff rows and line issues of imports started more than {@code keep} ago (their
     * {@code import_run} rows, with the counts, stay). Returns the number of diff rows deleted.
     */
    long purgeDetails(Duration keep) throws SQLException {
        Timestamp before = Timestamp.from(clock.instant().minus(keep));
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM directory.import_issue WHERE import_id IN "
                + "(SELECT id FROM directory.import_run WHERE started_at < ?)")) {
                ps.setTimestamp(1, before);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM directory.import_change WHERE import_id IN "
                + "(SELECT id FROM directory.import_run WHERE started_at < ?)")) {
                ps.setTimestamp(1, before);
                return ps.executeUpdate();
            }
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
