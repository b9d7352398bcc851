package fr.mssante.operator.authentication;

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

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.audit.AuditTypes;

/**
 * Appends every authentication attempt to the audit trail ({@code AUTH_SUCCESS} / {@code AUTH_FAILURE} rows of
 * {@code mss.message_event}, protocol and mechanism in the detail; never a secret) and reads them back.
 */
public class AuthenticationLog {
    private static final Logger LOGGER = LoggerFactory.getLogger(AuthenticationLog.class);

    private final DataSource dataSource;
    private final AuditJournal journal;

    @Inject
    public AuthenticationLog(DataSource dataSource, AuditJournal journal) {
        this.dataSource = dataSource;
        this.journal = journal;
    }

    public record Event(String protocol, String mechanism, Optional<String> actor, Optional<String> mailbox, String outcome,
                        Optional<String> reason, Optional<String> remote) {
    }

    /** Records the attempt; a database failure is logged, never turned into a successful or failed login. */
    public void record(Event event) {
        try {
            journal.append(AuditRecord.of(event.outcome().equals("SUCCESS") ? AuditTypes.AUTH_SUCCESS : AuditTypes.AUTH_FAILURE)
                .mailName("auth").actor(event.actor().orElse(null)).mailbox(event.mailbox().orElse(null))
                .outcome(event.outcome()).reason(event.reason().orElse(null)).peer(event.remote().orElse(null))
                .detail(event.protocol() + " " + event.mechanism()));
        } catch (SQLException e) {
            LOGGER.error("Could not record the authentication event {} {} {}", event.protocol(), event.mechanism(), event.outcome(), e);
        }
        // successes are routine (DEBUG, like per-message events); failures and locks are what operators watch (INFO);
        // addresses as the trail stores them (patients hashed)
        if (event.outcome().equals("SUCCESS")) {
            LOGGER.debug("AUTH {} {} actor={} mailbox={} SUCCESS", event.protocol(), event.mechanism(),
                forLog(event.actor().orElse("-")), forLog(event.mailbox().orElse("-")));
        } else {
            LOGGER.info("AUTH {} {} actor={} mailbox={} {}{}", event.protocol(), event.mechanism(),
                forLog(event.actor().orElse("-")), forLog(event.mailbox().orElse("-")), event.outcome(),
                event.reason().map(reason -> " (" + forLog(reason) + ")").orElse(""));
        }
    }

    /** {@code text} (an address, or a text naming addresses) as a log line may show it: see {@link AuditJournal#forLog}. */
    public String forLog(String text) {
        return journal.forLog(text);
    }

    /** The latest events, newest first. */
    public List<Event> latest(int limit) throws SQLException {
        List<Event> events = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT detail, actor, mailbox, outcome, reason, "
                 + "peer FROM mss.message_event WHERE event IN ('AUTH_SUCCESS', 'AUTH_FAILURE') ORDER BY id DESC LIMIT ?")) {
            query.setInt(1, limit);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String[] how = String.valueOf(rows.getString(1)).split(" ", 2);
                    events.add(new Event(how[0], how.length > 1 ? how[1] : "", Optional.ofNullable(rows.getString(2)),
                        Optional.ofNullable(rows.getString(3)), rows.getString(4), Optional.ofNullable(rows.getString(5)),
                        Optional.ofNullable(rows.getString(6))));
                }
            }
        }
        return events;
    }
}
