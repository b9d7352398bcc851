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

/**
 * Appends message events to {@code mss.message_event} and reads them back (console, tests).
 */
public class MessageEventLog {
    private static final String INSERT = "INSERT INTO mss.message_event "
        + "(event, mail_name, message_id, sender, recipients, remote_address, size_bytes, detail) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource dataSource;

    @Inject
    public MessageEventLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void append(MessageEvent event) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setString(1, event.event());
            statement.setString(2, event.mailName());
            statement.setString(3, event.messageId().orElse(null));
            statement.setString(4, event.sender().orElse(null));
            statement.setArray(5, connection.createArrayOf("text", event.recipients().toArray()));
            statement.setString(6, event.remoteAddress().orElse(null));
            statement.setLong(7, event.sizeBytes());
            statement.setString(8, event.detail().orElse(null));
            statement.executeUpdate();
        }
    }

    /** The most recent events first. */
    public List<MessageEvent> latest(int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                 "SELECT event, mail_name, message_id, sender, recipients, remote_address, size_bytes, detail "
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
