package fr.mssante.operator.citizen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/** {@link ConversationStore} in {@code mss.citizen_thread} and {@code mss.citizen_message}. */
public class PostgresConversations implements ConversationStore {
    private final DataSource dataSource;

    public PostgresConversations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<SentMessage> sentTo(String citizen, Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT m.message_id, m.thread_id, m.professional, m.reply_to, "
                 + "m.sent_at, t.ended_at IS NOT NULL FROM mss.citizen_message m JOIN mss.citizen_thread t "
                 + "ON t.citizen = m.citizen AND t.thread_id = m.thread_id WHERE m.citizen = ? AND m.message_id = ANY (?)")) {
            query.setString(1, citizen);
            query.setArray(2, connection.createArrayOf("varchar", messageIds.stream().limit(100).toArray()));
            List<SentMessage> messages = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    messages.add(new SentMessage(rows.getString(1), rows.getString(2), rows.getString(3),
                        Optional.ofNullable(rows.getString(4)), rows.getTimestamp(5).toInstant(), rows.getBoolean(6)));
                }
            }
            return messages;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the citizen conversations", e);
        }
    }

    @Override
    public Optional<Instant> lastMessage(String professional, String citizen) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT max(sent_at) FROM mss.citizen_message WHERE citizen = ? AND professional = ? AND NOT from_citizen")) {
            query.setString(1, citizen);
            query.setString(2, professional);
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getTimestamp(1) != null ? Optional.of(row.getTimestamp(1).toInstant()) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the citizen conversations", e);
        }
    }

    @Override
    public void recordReply(String citizen, String professional, String messageId, List<String> references, Instant at) {
        if (references.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO mss.citizen_message (citizen, message_id, thread_id, "
                 + "professional, sent_at, from_citizen) SELECT citizen, ?, thread_id, professional, ?, true FROM mss.citizen_message "
                 + "WHERE citizen = ? AND professional = ? AND message_id = ANY (?) ORDER BY sent_at LIMIT 1 ON CONFLICT DO NOTHING")) {
            insert.setString(1, messageId);
            insert.setTimestamp(2, Timestamp.from(at));
            insert.setString(3, citizen);
            insert.setString(4, professional);
            insert.setArray(5, connection.createArrayOf("varchar", references.stream().limit(100).toArray()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a citizen's reply", e);
        }
    }

    @Override
    public void recordSent(String citizen, String professional, Optional<String> replyTo, String messageId, List<String> references,
                           boolean ends, Instant at) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                String thread = messageId;
                if (!references.isEmpty()) {
                    try (PreparedStatement query = connection.prepareStatement("SELECT thread_id FROM mss.citizen_message "
                        + "WHERE citizen = ? AND professional = ? AND message_id = ANY (?) ORDER BY sent_at LIMIT 1")) {
                        query.setString(1, citizen);
                        query.setString(2, professional);
                        query.setArray(3, connection.createArrayOf("varchar", references.stream().limit(100).toArray()));
                        try (ResultSet row = query.executeQuery()) {
                            if (row.next()) {
                                thread = row.getString(1);
                            }
                        }
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mss.citizen_thread (thread_id, citizen, "
                    + "professional, started_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    insert.setString(1, thread);
                    insert.setString(2, citizen);
                    insert.setString(3, professional);
                    insert.setTimestamp(4, Timestamp.from(at));
                    insert.executeUpdate();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mss.citizen_message (citizen, message_id, "
                    + "thread_id, professional, reply_to, sent_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    insert.setString(1, citizen);
                    insert.setString(2, messageId);
                    insert.setString(3, thread);
                    insert.setString(4, professional);
                    insert.setString(5, replyTo.orElse(null));
                    insert.setTimestamp(6, Timestamp.from(at));
                    insert.executeUpdate();
                }
                if (ends) {
                    try (PreparedStatement update = connection.prepareStatement("UPDATE mss.citizen_thread SET ended_at = ? "
                        + "WHERE citizen = ? AND thread_id = ? AND ended_at IS NULL")) {
                        update.setTimestamp(1, Timestamp.from(at));
                        update.setString(2, citizen);
                        update.setString(3, thread);
                        update.executeUpdate();
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record a message to a citizen", e);
        }
    }
}
