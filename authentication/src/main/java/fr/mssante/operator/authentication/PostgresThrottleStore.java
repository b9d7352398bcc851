package fr.mssante.operator.authentication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

/** {@link LoginThrottle.Store} in {@code mss.login_backoff}, shared by every node; the count is one atomic upsert. */
public class PostgresThrottleStore implements LoginThrottle.Store {
    private final DataSource dataSource;

    public PostgresThrottleStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public int countFailure(LoginThrottle.Key key, Instant now, Instant forgetBefore) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO mss.login_backoff AS b (source, login, failures, "
                 + "last_failure) VALUES (?, ?, 1, ?) ON CONFLICT (source, login) DO UPDATE SET "
                 + "failures = CASE WHEN b.last_failure < ? THEN 1 ELSE b.failures + 1 END, last_failure = EXCLUDED.last_failure "
                 + "RETURNING failures")) {
            upsert.setString(1, key.source());
            upsert.setString(2, key.login());
            upsert.setTimestamp(3, Timestamp.from(now));
            upsert.setTimestamp(4, Timestamp.from(forgetBefore));
            try (ResultSet row = upsert.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    @Override
    public void block(LoginThrottle.Key key, Instant until) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                 "UPDATE mss.login_backoff SET blocked_until = GREATEST(COALESCE(blocked_until, ?), ?) WHERE source = ? AND login = ?")) {
            update.setTimestamp(1, Timestamp.from(until));
            update.setTimestamp(2, Timestamp.from(until));
            update.setString(3, key.source());
            update.setString(4, key.login());
            update.executeUpdate();
        }
    }

    @Override
    public Optional<Instant> blockedUntil(LoginThrottle.Key key) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT blocked_until FROM mss.login_backoff WHERE source = ? AND login = ?")) {
            query.setString(1, key.source());
            query.setString(2, key.login());
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getTimestamp(1) != null ? Optional.of(row.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    @Override
    public void clear(LoginThrottle.Key key) throws SQLException {
        delete("DELETE FROM mss.login_backoff WHERE source = ? AND login = ?", key.source(), key.login());
    }

    @Override
    public void clearLogin(String login) throws SQLException {
        delete("DELETE FROM mss.login_backoff WHERE login = ?", login);
    }

    @Override
    public void clearSource(String source) throws SQLException {
        delete("DELETE FROM mss.login_backoff WHERE source = ?", source);
    }

    private void delete(String sql, String... values) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement delete = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                delete.setString(i + 1, values[i]);
            }
            delete.executeUpdate();
        }
    }
}
