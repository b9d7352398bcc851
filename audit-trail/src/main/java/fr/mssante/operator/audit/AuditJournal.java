package fr.mssante.operator.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import javax.sql.DataSource;

/**
 * The audit trail ({@code mss.message_event}): the one place that decides what an audit row holds. {@link #append}
 * hashes every patient address (in any field), fills the outcome a type stands for, strips control characters and
 * bounds the free-text fields ({@link #MAX_TEXT}), then writes one row (one INSERT, time from the clock; rows of
 * concurrent callers share one batch and one commit). The searches
 * protect their query the same way, so a patient address is found by its clear form.
 */
public class AuditJournal {
    /** Longest reason or detail stored (longer is cut): they are codes and summaries, never documents. */
    public static final int MAX_TEXT = 500;
    /** Most rows written in one batch. */
    static final int MAX_BATCH = 100;
    private static final List<String> HOURLY_OUTCOMES = List.of(AuditTypes.ACCEPTED, AuditTypes.REFUSED,
        AuditTypes.DELIVERED_OUTCOME, AuditTypes.BOUNCED_OUTCOME);
    private static final String INSERT = "INSERT INTO mss.message_event (occurred_at, event, mail_name, message_id, "
        + "sender, recipients, remote_address, size_bytes, detail, actor, mailbox, peer, outcome, reason) "
        + "VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)";
    private static final String COLUMNS = "id, occurred_at, event, actor, "
        + "COALESCE(mailbox, NULLIF(array_to_string(recipients, ' '), ''), sender), message_id, "
        + "COALESCE(peer, remote_address), outcome, reason, detail";

    private final DataSource dataSource;
    private final PatientAddresses patients;
    private final Clock clock;
    private final List<Consumer<AuditRecord>> listeners = new CopyOnWriteArrayList<>();
    /** Rows appended and not written yet, oldest first. */
    private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
    /** The writer's turn: one batch at a time. */
    private final ReentrantLock writer = new ReentrantLock();

    public AuditJournal(DataSource dataSource, PatientAddresses patients, Clock clock) {
        this.dataSource = dataSource;
        this.patients = Objects.requireNonNull(patients, "patients");
        this.clock = clock;
    }

    /**
     * {@code text} as a server log line may name it: every patient address hashed exactly as in the trail (so a log line
     * and its audit row can be matched), everything else unchanged; {@code null} stays {@code null}. Every log line that
     * names an address (actor, mailbox, sender, recipient) goes through here.
     */
    /** The clock every row is stamped with (the server's one clock). */
    public Clock clock() {
        return clock;
    }

    public String forLog(String text) {
        return patients.protect(text);
    }

    /** Called with each stored record (as stored) after its row is written: counters, never I/O. */
    public void onAppend(Consumer<AuditRecord> listener) {
        listeners.add(listener);
    }

    /** What {@link #append} stores for {@code record}: patient addresses hashed, outcome filled, texts bounded. */
    public AuditRecord stored(AuditRecord record) {
        return new AuditRecord(record.type(), text(record.mailName(), 200), protect(record.actor(), 200),
            protect(record.mailbox(), 320), protect(record.messageId(), 998), protect(record.sender(), 320),
            record.recipients().stream().map(recipient -> protect(recipient, 320)).toList(), protect(record.peer(), 500),
            record.outcome() != null ? text(record.outcome(), 40) : AuditTypes.defaultOutcome(record.type()).orElse(null),
            protect(record.reason(), MAX_TEXT), protect(record.detail(), MAX_TEXT), record.sizeBytes());
    }

    /**
     * Writes one row, durably, before returning. Rows appended at the same time by several threads are written
     * together (group commit): the thread that takes the writer's turn inserts every row waiting at that moment in one
     * batch and one commit, and each caller returns once its own row is committed (or throws its own failure). A
     * batch PostgreSQL refuses is written again row by row, so that a row it refuses fails only its own caller.
     */
    public void append(AuditRecord record) throws SQLException {
        Pending mine = new Pending(stored(record), Timestamp.from(clock.instant()));
        waiting.add(mine);
        writer.lock();
        try {
            while (!mine.written) {
                List<Pending> batch = new ArrayList<>();
                for (Pending next = waiting.poll(); next != null; next = batch.size() < MAX_BATCH ? waiting.poll() : null) {
                    batch.add(next);
                }
                write(batch);
            }
        } finally {
            writer.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        for (Consumer<AuditRecord> listener : listeners) {
            listener.accept(mine.row);
        }
    }

    /** Rows waiting for the writer's turn (tests). */
    int waitingRows() {
        return waiting.size();
    }

    private void write(List<Pending> batch) {
        if (batch.size() > 1) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    for (Pending pending : batch) {
                        bind(connection, insert, pending);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    connection.commit();
                    batch.forEach(pending -> pending.written = true);
                    return;
                } catch (SQLException e) {
                    connection.rollback();
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                // no connection, or it broke: each row below gets its own attempt and its own failure
            }
        }
        for (Pending pending : batch) {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement insert = connection.prepareStatement(INSERT)) {
                bind(connection, insert, pending);
                insert.executeUpdate();
            } catch (SQLException e) {
                pending.failure = e;
            }
            pending.written = true;
        }
    }

    private static void bind(Connection connection, PreparedStatement insert, Pending pending) throws SQLException {
        AuditRecord row = pending.row;
        insert.setTimestamp(1, pending.occurredAt);
        insert.setString(2, row.type());
        insert.setString(3, row.mailName());
        insert.setString(4, row.messageId());
        insert.setString(5, row.sender());
        insert.setArray(6, connection.createArrayOf("text", row.recipients().toArray()));
        insert.setLong(7, row.sizeBytes());
        insert.setString(8, row.detail());
        insert.setString(9, row.actor());
        insert.setString(10, row.mailbox());
        insert.setString(11, row.peer());
        insert.setString(12, row.outcome());
        insert.setString(13, row.reason());
    }

    /** A row waiting for its turn; {@code written} and {@code failure} are set by the writer, under {@link #writer}. */
    private static final class Pending {
        private final AuditRecord row;
        private final Timestamp occurredAt;
        private boolean written;
        private SQLException failure;

        private Pending(AuditRecord row, Timestamp occurredAt) {
            this.row = row;
            this.occurredAt = occurredAt;
        }
    }

    /** The rows matching {@code query}, newest first. */
    public List<AuditRow> search(AuditQuery query) throws SQLException {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM mss.message_event WHERE true");
        query.mailbox().map(patients::protect).ifPresent(mailbox -> {
            sql.append(" AND (mailbox = ? OR sender = ? OR recipients @> ARRAY[?]::text[] OR actor = ?)");
            parameters.add(mailbox);
            parameters.add(mailbox);
            parameters.add(mailbox);
            parameters.add(mailbox);
        });
        query.messageId().map(patients::protect).ifPresent(messageId -> {
            // with or without the angle brackets
            String bare = messageId.startsWith("<") && messageId.endsWith(">") ? messageId.substring(1, messageId.length() - 1) : messageId;
            sql.append(" AND message_id IN (?, ?)");
            parameters.add(bare);
            parameters.add("<" + bare + ">");
        });
        if (!query.types().isEmpty()) {
            sql.append(" AND event = ANY (?)");
            parameters.add(query.types());
        }
        query.from().ifPresent(from -> {
            sql.append(" AND occurred_at >= ?");
            parameters.add(Timestamp.from(from));
        });
        query.to().ifPresent(to -> {
            sql.append(" AND occurred_at < ?");
            parameters.add(Timestamp.from(to));
        });
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?");
        parameters.add(query.limit());
        parameters.add(query.offset());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                Object parameter = parameters.get(i);
                if (parameter instanceof List<?> list) {
                    select.setArray(i + 1, connection.createArrayOf("text", list.toArray()));
                } else {
                    select.setObject(i + 1, parameter);
                }
            }
            List<AuditRow> rows = new ArrayList<>();
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new AuditRow(result.getLong(1), result.getTimestamp(2).toInstant(), result.getString(3),
                        result.getString(4), result.getString(5), result.getString(6), result.getString(7),
                        result.getString(8), result.getString(9), result.getString(10)));
                }
            }
            return rows;
        }
    }

    /** The types the trail knows, and any other found in it, sorted. */
    public List<String> types() throws SQLException {
        TreeSet<String> types = new TreeSet<>(AuditTypes.known());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT DISTINCT event FROM mss.message_event");
             ResultSet result = select.executeQuery()) {
            while (result.next()) {
                types.add(result.getString(1));
            }
        }
        return List.copyOf(types);
    }

    /** Messages per hour by outcome (accepted, refused, delivered, bounced), the last {@code hours} hours, oldest first. */
    public List<HourlyCount> hourly(int hours) throws SQLException {
        if (hours < 1 || hours > 24 * 31) {
            throw new IllegalArgumentException("hours must be between 1 and " + 24 * 31 + ", got " + hours);
        }
        Instant last = clock.instant().truncatedTo(ChronoUnit.HOURS);
        Instant first = last.minus(hours - 1L, ChronoUnit.HOURS);
        Map<Instant, long[]> counts = new LinkedHashMap<>();
        for (int i = 0; i < hours; i++) {
            counts.put(first.plus(i, ChronoUnit.HOURS), new long[HOURLY_OUTCOMES.size()]);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT date_trunc('hour', occurred_at, 'UTC'), outcome, "
                 + "count(*) FROM mss.message_event WHERE occurred_at >= ? AND outcome = ANY (?) GROUP BY 1, 2")) {
            select.setTimestamp(1, Timestamp.from(first));
            select.setArray(2, connection.createArrayOf("text", HOURLY_OUTCOMES.toArray()));
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    long[] hour = counts.get(result.getTimestamp(1).toInstant());
                    if (hour != null) {
                        hour[HOURLY_OUTCOMES.indexOf(result.getString(2))] = result.getLong(3);
                    }
                }
            }
        }
        List<HourlyCount> hourly = new ArrayList<>();
        counts.forEach((hour, values) -> hourly.add(new HourlyCount(hour, values[0], values[1], values[2], values[3])));
        return hourly;
    }

    /** Deletes the rows older than {@code cutoff}; how many. */
    public long deleteBefore(Instant cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM mss.message_event WHERE occurred_at < ?")) {
            delete.setTimestamp(1, Timestamp.from(cutoff));
            return delete.executeLargeUpdate();
        }
    }

    public record HourlyCount(Instant hour, long accepted, long refused, long delivered, long bounced) {
    }

    private String protect(String value, int max) {
        // hashed before being cut, so that no part of a patient address survives in clear
        return value == null ? null : text(patients.protect(text(value, Integer.MAX_VALUE)), max);
    }

    /** No control characters (no forged lines in an export or a log), and bounded. */
    private static String text(String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder clean = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && clean.length() < max; i++) {
            char c = value.charAt(i);
            clean.append(Character.isISOControl(c) ? ' ' : c);
        }
        return clean.toString();
    }
}
