package fr.mssante.operator.extensions.authentication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * Brute-force protection for password logins, shared by every node through PostgreSQL ({@code mss.login_throttle}):
 * {@code maxFailures} failures of one login name within {@code window} lock it for {@code lockDuration}. While locked,
 * even the right password is refused (without being checked). A success clears the counter.
 */
public class LoginThrottle {
    public record Settings(int maxFailures, Duration window, Duration lockDuration) {
        public static final Settings DEFAULT = new Settings(20, Duration.ofMinutes(1), Duration.ofMinutes(15));
    }

    private final DataSource dataSource;
    private final Settings settings;
    private final Clock clock;

    public LoginThrottle(DataSource dataSource, Settings settings, Clock clock) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.clock = clock;
    }

    /** @return the end of the lock, when the login is locked now */
    public Optional<Instant> lockedUntil(String principal) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT locked_until FROM mss.login_throttle WHERE principal = ?")) {
            query.setString(1, key(principal));
            try (ResultSet row = query.executeQuery()) {
                if (row.next() && row.getTimestamp(1) != null && row.getTimestamp(1).toInstant().isAfter(clock.instant())) {
                    return Optional.of(row.getTimestamp(1).toInstant());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Counts one failure.
     *
     * @return true when this failure locked the login
     */
    public boolean failed(String principal) throws SQLException {
        Instant now = clock.instant();
        Timestamp windowOpen = Timestamp.from(now.minus(settings.window()));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO mss.login_throttle AS t (principal, window_start, failures) "
                 + "VALUES (?, ?, 1) ON CONFLICT (principal) DO UPDATE SET "
                 + "failures = CASE WHEN t.window_start < ? THEN 1 ELSE t.failures + 1 END, "
                 + "window_start = CASE WHEN t.window_start < ? THEN EXCLUDED.window_start ELSE t.window_start END "
                 + "RETURNING failures, locked_until")) {
            upsert.setString(1, key(principal));
            upsert.setTimestamp(2, Timestamp.from(now));
            upsert.setTimestamp(3, windowOpen);
            upsert.setTimestamp(4, windowOpen);
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                int failures = row.getInt(1);
                Timestamp locked = row.getTimestamp(2);
                boolean alreadyLocked = locked != null && locked.toInstant().isAfter(now);
                if (failures >= settings.maxFailures() && !alreadyLocked) {
                    try (PreparedStatement lock = connection.prepareStatement(
                        "UPDATE mss.login_throttle SET locked_until = ?, failures = 0, window_start = ? WHERE principal = ?")) {
                        lock.setTimestamp(1, Timestamp.from(now.plus(settings.lockDuration())));
                        lock.setTimestamp(2, Timestamp.from(now));
                        lock.setString(3, key(principal));
                        lock.executeUpdate();
                    }
                    return true;
                }
                return false;
            }
        }
    }

    public void succeeded(String principal) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM mss.login_throttle WHERE principal = ?")) {
            delete.setString(1, key(principal));
            delete.executeUpdate();
        }
    }

    /** Operator action: lift a lock before it expires. */
    public void unlock(String principal) throws SQLException {
        succeeded(principal);
    }

    private static String key(String principal) {
        return principal.trim().toLowerCase(Locale.ROOT);
    }
}
