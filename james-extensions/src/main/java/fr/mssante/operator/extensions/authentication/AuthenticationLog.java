package fr.mssante.operator.extensions.authentication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends every authentication attempt to {@code mss.auth_event} (never a secret) and reads them back. */
public class AuthenticationLog {
    private static final Logger LOGGER = LoggerFactory.getLogger(AuthenticationLog.class);

    private final DataSource dataSource;

    @Inject
    public AuthenticationLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Event(String protocol, String mechanism, Optional<String> actor, Optional<String> mailbox, String outcome,
                        Optional<String> reason, Optional<String> remote) {
    }

    /** Records the attempt; a database failure is logged, never turned into a successful or failed login. */
    public void record(Event event) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO mss.auth_event "
                 + "(protocol, mechanism, actor, mailbox, outcome, reason, remote) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.protocol());
            insert.setString(2, event.mechanism());
            insert.setString(3, event.actor().orElse(null));
            insert.setString(4, event.mailbox().orElse(null));
            insert.setString(5, event.outcome());
            insert.setString(6, event.reason().orElse(null));
            insert.setString(7, event.remote().orElse(null));
            insert.executeUpdate();
        } catch (SQLException e) {
            LOGGER.error("Could not record the authentication event {} {} {}", event.protocol(), event.mechanism(), event.outcome(), e);
        }
        // successes are routine (DEBUG, like per-message events); failures and locks are what operators watch (INFO)
        if (event.outcome().equals("SUCCESS")) {
            LOGGER.debug("AUTH {} {} actor={} mailbox={} SUCCESS", event.protocol(), event.mechanism(), event.actor().orElse("-"),
                event.mailbox().orElse("-"));
        } else {
            LOGGER.info("AUTH {} {} actor={} mailbox={} {}{}", event.protocol(), event.mechanism(), event.actor().orElse("-"),
                event.mailbox().orElse("-"), event.outcome(), event.reason().map(reason -> " (" + reason + ")").orElse(""));
        }
    }

    /** The latest events, newest first. */
    public List<Event> latest(int limit) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT protocol, mechanism, actor, mailbox, outcome, reason, "
                 + "remote FROM mss.auth_event ORDER BY id DESC LIMIT ?")) {
            query.setInt(1, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(new Event(rows.getString(1), rows.getString(2), Optional.ofNullable(rows.getString(3)),
                        Optional.ofNullable(rows.getString(4)), rows.getString(5), Optional.ofNullable(rows.getString(6)),
                        Optional.ofNullable(rows.getString(7))));
                }
            }
        }
        return events;
    }
}
