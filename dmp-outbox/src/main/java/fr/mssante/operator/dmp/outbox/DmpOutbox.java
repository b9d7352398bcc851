package fr.mssante.operator.dmp.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DMP filing outbox (table {@code dmp.submission}): the mail server enqueues, connector JVMs claim and record
 * outcomes, the mail server reads final failures once to tell the sender, the console lists.
 *
 * <p>Delivery is at-least-once towards the DMP only in one case: a connector that crashes after the DMP accepted a
 * document but before {@link #markAccepted} — the row's lease expires and another claim files it again; the DMP
 * answers "duplicate unique id", which the connector records as accepted. Rows are never enqueued twice
 * ((message id, document unique id) is unique).
 *
 * <p>Times come from the injected {@link Clock}, not from the database, so that schedules are testable. Thread-safe.
 */
public final class DmpOutbox {
    /** Longest error text kept in {@code last_error}. */
    public static final int MAX_ERROR_LENGTH = 4000;
    private static final Logger LOGGER = LoggerFactory.getLogger(DmpOutbox.class);

    private static final String SUMMARY_COLUMNS = "id, message_id, document_unique_id, mailbox, type_code, "
        + "format_code, title, mime_type, octet_length(document) AS document_size, state, attempts, "
        + "next_attempt_at, last_error, created_at, updated_at, finished_at, notified_at";

    private final DataSource dataSource;
    private final Clock clock;
    private final RetryPolicy retryPolicy;

    public DmpOutbox(DataSource dataSource, Clock clock, RetryPolicy retryPolicy) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * Adds a document to file, due now. Idempotent on (message id, document unique id): a second call for the same
     * pair adds nothing and returns the existing row.
     */
    public EnqueueResult enqueue(Submission submission) {
        DocumentMetadata m = submission.metadata();
        Instant now = clock.instant();
        String insert = "INSERT INTO dmp.submission (message_id, document_unique_id, mailbox, sender_national_id, "
            + "type_code, format_code, title, mime_type, document, pdf_rendering, metadata, state, attempts, "
            + "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'QUEUED', 0, "
            + "?, ?, ?) ON CONFLICT (message_id, document_unique_id) DO NOTHING RETURNING id";
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                int i = 1;
                ps.setString(i++, submission.messageId());
                ps.setString(i++, m.documentUniqueId());
                ps.setString(i++, submission.mailbox());
                ps.setString(i++, submission.senderNationalId());
                ps.setString(i++, m.typeCode().code());
                ps.setString(i++, m.formatCode().code());
                ps.setString(i++, m.title());
                ps.setString(i++, submission.mimeType());
                ps.setBytes(i++, submission.document());
                if (submission.pdfRendering() == null) {
                    ps.setNull(i++, Types.BINARY);
                } else {
                    ps.setBytes(i++, submission.pdfRendering());
                }
                ps.setString(i++, MetadataJson.write(m));
                ps.setObject(i++, at(now));
                ps.setObject(i++, at(now));
                ps.setObject(i, at(now));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long id = rs.getLong(1);
                        LOGGER.debug("Enqueued DMP submission {} ({})", id, submission);
                        return new EnqueueResult(id, true);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM dmp.submission WHERE message_id = ? AND document_unique_id = ?")) {
                ps.setString(1, submission.messageId());
                ps.setString(2, m.documentUniqueId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new DmpOutboxException("conflicting row vanished for " + submission, null);
                    }
                    LOGGER.debug("DMP submission already enqueued: {}", submission);
                    return new EnqueueResult(rs.getLong(1), false);
                }
            }
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot enqueue " + submission, e);
        }
    }

    /**
     * Leases up to {@code max} due rows for {@code lease}: QUEUED rows whose next attempt is due, and SENDING rows
     * whose lease expired (a connector died). Several connectors may call this concurrently: {@code FOR UPDATE SKIP
     * LOCKED} gives each row to one of them. Each claim counts an attempt. Expired leases of rows older than the
     * maximum age are given up (FAILED) instead.
     */
    public List<ClaimedSubmission> claimDue(int max, Duration lease) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1");
        }
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(lease);
        try (Connection c = dataSource.getConnection()) {
            abandonStaleLeases(c, now);
            String claim = "WITH due AS (SELECT id FROM dmp.submission WHERE state IN ('QUEUED', 'SENDING') "
                + "AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) "
                + "UPDATE dmp.submission s SET state = 'SENDING', attempts = s.attempts + 1, next_attempt_at = ?, "
                + "claim_token = gen_random_uuid(), updated_at = ? FROM due WHERE s.id = due.id "
                + "RETURNING s.id, s.claim_token, s.attempts, s.created_at, s.message_id, s.mailbox, "
                + "s.sender_national_id, s.mime_type, s.document, s.pdf_rendering, s.metadata::text AS metadata";
            List<ClaimedSubmission> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(claim)) {
                ps.setObject(1, at(now));
                ps.setInt(2, max);
                ps.setObject(3, at(leaseUntil));
                ps.setObject(4, at(now));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Submission s = new Submission(rs.getString("message_id"), rs.getString("mailbox"),
                            rs.getString("sender_national_id"), rs.getString("mime_type"), rs.getBytes("document"),
                            rs.getBytes("pdf_rendering"), MetadataJson.read(rs.getString("metadata")));
                        out.add(new ClaimedSubmission(new Claim(rs.getLong("id"), rs.getObject("claim_token",
                            UUID.class)), rs.getInt("attempts"), instant(rs, "created_at"), s));
                    }
                }
            }
            out.sort(Comparator.comparingLong(ClaimedSubmission::id));
            if (!out.isEmpty()) {
                LOGGER.debug("Claimed {} DMP submission(s) until {}", out.size(), leaseUntil);
            }
            return out;
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot claim due DMP submissions", e);
        }
    }

    private void abandonStaleLeases(Connection c, Instant now) throws SQLException {
        String sql = "WITH stale AS (SELECT id FROM dmp.submission WHERE state = 'SENDING' AND next_attempt_at <= ? "
            + "AND created_at <= ? FOR UPDATE SKIP LOCKED) UPDATE dmp.submission s SET state = 'FAILED', "
            + "claim_token = NULL, last_error = left('gave up: the filing lease expired after the maximum age'"
            + " || coalesce(' (last error: ' || s.last_error || ')', ''), ?), finished_at = ?, updated_at = ? "
            + "FROM stale WHERE s.id = stale.id";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, at(now));
            ps.setObject(2, at(now.minus(retryPolicy.maxAge())));
            ps.setInt(3, MAX_ERROR_LENGTH);
            ps.setObject(4, at(now));
            ps.setObject(5, at(now));
            int n = ps.executeUpdate();
            if (n > 0) {
                LOGGER.warn("Gave up {} DMP submission(s) whose lease expired after the maximum age", n);
            }
        }
    }

    /** The DMP accepted the document. False when the lease was lost (another claim owns the row now). */
    public boolean markAccepted(Claim claim) {
        return finish(claim, OutboxState.ACCEPTED, null);
    }

    /** The DMP accepted it but said something worth keeping (e.g. "already filed"): stored in last_error. */
    public boolean markAccepted(Claim claim, String note) {
        return finish(claim, OutboxState.ACCEPTED, note);
    }

    /** The DMP refused the document (registry errors): final; the sender will be told. */
    public boolean markRejected(Claim claim, String errorText) {
        return finish(claim, OutboxState.REJECTED, Objects.requireNonNull(errorText, "errorText"));
    }

    private boolean finish(Claim claim, OutboxState state, String text) {
        Instant now = clock.instant();
        String sql = "UPDATE dmp.submission SET state = ?, claim_token = NULL, last_error = ?, finished_at = ?, "
            + "updated_at = ? WHERE id = ? AND claim_token = ? AND state = 'SENDING'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, state.name());
            ps.setString(2, truncate(text));
            ps.setObject(3, at(now));
            ps.setObject(4, at(now));
            ps.setLong(5, claim.id());
            ps.setObject(6, claim.token());
            boolean done = ps.executeUpdate() == 1;
            if (done) {
                LOGGER.debug("DMP submission {} {}", claim.id(), state);
            } else {
                LOGGER.warn("DMP submission {}: lease lost before recording {}", claim.id(), state);
            }
            return done;
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot record " + state + " for DMP submission " + claim.id(), e);
        }
    }

    /**
     * A transport failure: schedules the next attempt with exponential backoff (the last one exactly at the
     * maximum age), or gives up (FAILED) when the row is already that old.
     *
     * @return the new state (QUEUED or FAILED), empty when the lease was lost
     */
    public Optional<OutboxState> markFailedRetryable(Claim claim, String errorText) {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int attempts;
                Instant createdAt;
                try (PreparedStatement ps = c.prepareStatement("SELECT attempts, created_at FROM dmp.submission "
                    + "WHERE id = ? AND claim_token = ? AND state = 'SENDING' FOR UPDATE")) {
                    ps.setLong(1, claim.id());
                    ps.setObject(2, claim.token());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            c.rollback();
                            LOGGER.warn("DMP submission {}: lease lost before recording a retry", claim.id());
                            return Optional.empty();
                        }
                        attempts = rs.getInt(1);
                        createdAt = instant(rs, "created_at");
                    }
                }
                Instant deadline = createdAt.plus(retryPolicy.maxAge());
                OutboxState state;
                Instant next;
                if (!now.isBefore(deadline)) {
                    state = OutboxState.FAILED;
                    next = now;
                } else {
                    state = OutboxState.QUEUED;
                    next = now.plus(retryPolicy.delayAfter(attempts));
                    if (next.isAfter(deadline)) {
                        next = deadline;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE dmp.submission SET state = ?, "
                    + "claim_token = NULL, last_error = ?, next_attempt_at = ?, finished_at = ?, updated_at = ? "
                    + "WHERE id = ?")) {
                    ps.setString(1, state.name());
                    ps.setString(2, truncate(errorText));
                    ps.setObject(3, at(next));
                    if (state == OutboxState.FAILED) {
                        ps.setObject(4, at(now));
                    } else {
                        ps.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
                    }
                    ps.setObject(5, at(now));
                    ps.setLong(6, claim.id());
                    ps.executeUpdate();
                }
                c.commit();
                if (state == OutboxState.FAILED) {
                    LOGGER.warn("DMP submission {} FAILED after {} attempt(s) over the maximum age", claim.id(),
                        attempts);
                } else {
                    LOGGER.debug("DMP submission {} retry {} at {}", claim.id(), attempts + 1, next);
                }
                return Optional.of(state);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot record a retry for DMP submission " + claim.id(), e);
        }
    }

    /**
     * Gives a claimed row back, due now, without counting the attempt (a connector shutting down before sending
     * it). False when the lease was lost.
     */
    public boolean release(Claim claim) {
        Instant now = clock.instant();
        String sql = "UPDATE dmp.submission SET state = 'QUEUED', claim_token = NULL, "
            + "attempts = greatest(attempts - 1, 0), next_attempt_at = ?, updated_at = ? "
            + "WHERE id = ? AND claim_token = ? AND state = 'SENDING'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, at(now));
            ps.setObject(2, at(now));
            ps.setLong(3, claim.id());
            ps.setObject(4, claim.token());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot release DMP submission " + claim.id(), e);
        }
    }

    /** What {@link #retryNow(long)} did. */
    public enum RetryNow {
        /** The row waits for a retry after a transport failure: it is now due (the next claim takes it). */
        SCHEDULED,
        /** Not in a retryable state: never tried, being sent, or final (ACCEPTED, REJECTED, FAILED). */
        NOT_RETRYABLE,
        NOT_FOUND
    }

    /**
     * An operator's "retry now": a row that failed and waits for its next attempt (QUEUED, at least one attempt,
     * an error recorded) becomes due now, without changing its attempt count, error or maximum age (the retry
     * policy still decides when it gives up). Idempotent: asking twice schedules one attempt. Final rows are not
     * re-opened: their sender has been, or is being, told the outcome.
     */
    public RetryNow retryNow(long id) {
        Instant now = clock.instant();
        String sql = "UPDATE dmp.submission SET next_attempt_at = least(next_attempt_at, ?), updated_at = ? "
            + "WHERE id = ? AND state = 'QUEUED' AND attempts > 0 AND last_error IS NOT NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, at(now));
            ps.setObject(2, at(now));
            ps.setLong(3, id);
            if (ps.executeUpdate() == 1) {
                LOGGER.info("DMP submission {}: retry requested now", id);
                return RetryNow.SCHEDULED;
            }
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot schedule a retry of DMP submission " + id, e);
        }
        return find(id).isPresent() ? RetryNow.NOT_RETRYABLE : RetryNow.NOT_FOUND;
    }

    /** Final failures (REJECTED, FAILED) the sender has not been told about, oldest first. */
    public List<OutcomeNotice> pollOutcomes(int max) {
        String sql = "SELECT id, message_id, document_unique_id, mailbox, sender_national_id, title, state, "
            + "last_error, attempts, created_at, finished_at FROM dmp.submission WHERE state IN ('REJECTED', "
            + "'FAILED') AND notified_at IS NULL ORDER BY id LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, max);
            List<OutcomeNotice> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OutcomeNotice(rs.getLong("id"), rs.getString("message_id"),
                        rs.getString("document_unique_id"), rs.getString("mailbox"),
                        rs.getString("sender_national_id"), rs.getString("title"),
                        OutboxState.valueOf(rs.getString("state")), rs.getString("last_error"),
                        rs.getInt("attempts"), instant(rs, "created_at"), instant(rs, "finished_at")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot read DMP filing outcomes", e);
        }
    }

    /** The sender was told about this final failure; false if it was already marked (or is not final). */
    public boolean markNotified(long id) {
        Instant now = clock.instant();
        String sql = "UPDATE dmp.submission SET notified_at = ?, updated_at = ? WHERE id = ? "
            + "AND state IN ('REJECTED', 'FAILED') AND notified_at IS NULL";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, at(now));
            ps.setObject(2, at(now));
            ps.setLong(3, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot mark DMP submission " + id + " notified", e);
        }
    }

    /** The console's listing, newest first. */
    public Page<OutboxEntry> list(OutboxFilter filter, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> params = new ArrayList<>();
        if (!filter.states().isEmpty()) {
            where.append(" AND state = ANY (?)");
            params.add(filter.states().stream().map(Enum::name).sorted().toArray(String[]::new));
        }
        if (filter.mailbox() != null) {
            where.append(" AND mailbox = ?");
            params.add(filter.mailbox());
        }
        if (filter.messageId() != null) {
            where.append(" AND message_id = ?");
            params.add(filter.messageId());
        }
        if (filter.documentUniqueId() != null) {
            where.append(" AND document_unique_id = ?");
            params.add(filter.documentUniqueId());
        }
        if (filter.createdFrom() != null) {
            where.append(" AND created_at >= ?");
            params.add(at(filter.createdFrom()));
        }
        if (filter.createdBefore() != null) {
            where.append(" AND created_at < ?");
            params.add(at(filter.createdBefore()));
        }
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM dmp.submission" + where)) {
                bind(c, ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<OutboxEntry> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM dmp.submission"
                + where + " ORDER BY created_at DESC, id DESC OFFSET ? LIMIT ?")) {
                int next = bind(c, ps, params);
                ps.setInt(next++, page.offset());
                ps.setInt(next, page.limit());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(entry(rs));
                    }
                }
            }
            return new Page<>(items, total, page);
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot list DMP submissions", e);
        }
    }

    /**
     * The versions a replacement of {@code documentUniqueId} is judged against: that document and every document of
     * its set (same CDA setId), as taken for filing and not refused (REJECTED and FAILED rows never reached the DMP).
     */
    public List<FiledDocument> versionsOf(String documentUniqueId) {
        String sql = "SELECT document_unique_id, metadata->>'setId', metadata->'author'->>'nationalId', "
            + "metadata->'institution'->>'id', created_at FROM dmp.submission "
            + "WHERE state IN ('QUEUED', 'SENDING', 'ACCEPTED') AND (document_unique_id = ? OR metadata->>'setId' IN ("
            + "SELECT metadata->>'setId' FROM dmp.submission WHERE document_unique_id = ? "
            + "AND state IN ('QUEUED', 'SENDING', 'ACCEPTED'))) ORDER BY created_at, id LIMIT 1000";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, documentUniqueId);
            ps.setString(2, documentUniqueId);
            List<FiledDocument> versions = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    versions.add(new FiledDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
            return versions;
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot read the versions of a DMP document", e);
        }
    }

    /** One row's summary. */
    public Optional<OutboxEntry> find(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS
                 + " FROM dmp.submission WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot read DMP submission " + id, e);
        }
    }

    /** One row's full submission (document bytes and metadata). */
    public Optional<Submission> submission(long id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT message_id, mailbox, sender_national_id, mime_type, "
                 + "document, pdf_rendering, metadata::text AS metadata FROM dmp.submission WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Submission(rs.getString("message_id"), rs.getString("mailbox"),
                    rs.getString("sender_national_id"), rs.getString("mime_type"), rs.getBytes("document"),
                    rs.getBytes("pdf_rendering"), MetadataJson.read(rs.getString("metadata"))));
            }
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot read DMP submission " + id, e);
        }
    }

    /** How many rows in each state (every state present, zero included). */
    public Map<OutboxState, Long> countsByState() {
        Map<OutboxState, Long> counts = new EnumMap<>(OutboxState.class);
        for (OutboxState s : OutboxState.values()) {
            counts.put(s, 0L);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state, count(*) FROM dmp.submission GROUP BY state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(OutboxState.valueOf(rs.getString(1)), rs.getLong(2));
            }
            return counts;
        } catch (SQLException e) {
            throw new DmpOutboxException("cannot count DMP submissions", e);
        }
    }

    private static int bind(Connection c, PreparedStatement ps, List<Object> params) throws SQLException {
        int i = 1;
        for (Object p : params) {
            if (p instanceof String[] array) {
                ps.setArray(i++, c.createArrayOf("text", array));
            } else {
                ps.setObject(i++, p);
            }
        }
        return i;
    }

    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong("id"), rs.getString("message_id"), rs.getString("document_unique_id"),
            rs.getString("mailbox"), rs.getString("type_code"), rs.getString("format_code"), rs.getString("title"),
            rs.getString("mime_type"), rs.getInt("document_size"), OutboxState.valueOf(rs.getString("state")),
            rs.getInt("attempts"), instant(rs, "next_attempt_at"), rs.getString("last_error"),
            instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "finished_at"),
            instant(rs, "notified_at"));
    }

    private static String truncate(String text) {
        if (text == null || text.length() <= MAX_ERROR_LENGTH) {
            return text;
        }
        return text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
