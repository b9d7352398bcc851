package fr.mssante.operator.extensions.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.apache.mailet.Mail;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.audit.metrics.MessageMetrics;

/**
 * The mail pipeline's view of the audit trail: appends message events through the {@link AuditJournal} (the one
 * place that decides a row: patient addresses hashed, outcome, bounds) and reads them back (tests, support).
 */
public class MessageEventLog {
    private final DataSource dataSource;
    private final AuditJournal journal;
    private final MessageMetrics metrics;

    @Inject
    public MessageEventLog(DataSource dataSource, AuditJournal journal, MessageMetrics metrics) {
        this.dataSource = dataSource;
        this.journal = journal;
        this.metrics = metrics;
    }

    public MessageEventLog(DataSource dataSource, AuditJournal journal) {
        this(dataSource, journal, new MessageMetrics());
    }

    /** Read-only: {@link #latest}. */
    public MessageEventLog(DataSource dataSource) {
        this(dataSource, null, new MessageMetrics());
    }

    /** The mail reached its recipient's mailbox or the next operator: its delivery latency, when it carries its acceptance time. */
    public void delivered(Mail mail) {
        if (journal == null) {
            throw new IllegalStateException("this MessageEventLog only reads");
        }
        RecordMessageEvent.deliveryLatency(mail, journal.clock()).ifPresent(metrics::delivered);
    }

    public void append(MessageEvent event) throws SQLException {
        if (journal == null) {
            throw new IllegalStateException("this MessageEventLog only reads");
        }
        journal.append(AuditRecord.of(event.event()).mailName(event.mailName()).messageId(event.messageId().orElse(null))
            .sender(event.sender().orElse(null)).recipients(event.recipients()).peer(event.remoteAddress().orElse(null))
            .sizeBytes(event.sizeBytes()).detail(event.detail().orElse(null)));
    }

    /** The journal itself, for events that carry an actor, an outcome or a reason. */
    public AuditJournal journal() {
        if (journal == null) {
            throw new IllegalStateException("this MessageEventLog only reads");
        }
        return journal;
    }

    /** The most recent events first. */
    public List<MessageEvent> latest(int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                 "SELECT event, mail_name, message_id, sender, recipients, COALESCE(peer, remote_address), size_bytes, detail "
                     + "FROM mss.message_event ORDER BY id DESC LIMIT ?")) {
            statement.setInt(1, limit);
            List<MessageEvent> events = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Array recipients = rows.getArray(5);
                    events.add(new MessageEvent(rows.getString(1), rows.getString(2),
                        Optional.ofNullable(rows.getString(3)), Optional.ofNullable(rows.getString(4)),
                        Arrays.asList((String[]) recipients.getArray()), Optional.ofNullable(rows.getString(6)),
                        rows.getLong(7), Optional.ofNullable(rows.getString(8))));
                }
            }
            return events;
        }
    }
}
