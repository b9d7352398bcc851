package fr.mssante.operator.console.account;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The console's accounts and login audit ({@code console.account}, {@code console.login_event}). */
@Repository
public class AccountStore {
    private final JdbcTemplate jdbc;

    public AccountStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Account> find(String login) {
        return jdbc.query("SELECT login, password_hash, totp_secret, role, failed_attempts, locked_until, last_totp_step, disabled "
            + "FROM console.account WHERE login = ?", (row, n) -> new Account(row.getString(1), row.getString(2),
            row.getString(3), Role.valueOf(row.getString(4)), row.getInt(5),
            Optional.ofNullable(row.getTimestamp(6)).map(Timestamp::toInstant), row.getLong(7), row.getBoolean(8)), login)
            .stream().findFirst();
    }

    /** Creates or replaces an account (development accounts are re-issued at each start). */
    public void save(String login, String passwordHash, String totpSecret, Role role) {
        jdbc.update("INSERT INTO console.account (login, password_hash, totp_secret, role) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (login) DO UPDATE SET password_hash = excluded.password_hash, totp_secret = excluded.totp_secret, "
            + "role = excluded.role, failed_attempts = 0, locked_until = NULL, last_totp_step = 0, disabled = false",
            login, passwordHash, totpSecret, role.name());
    }

    /** A new account; false when the login is taken (an existing account is never replaced from the console). */
    public boolean create(String login, String passwordHash, String totpSecret, Role role) {
        return jdbc.update("INSERT INTO console.account (login, password_hash, totp_secret, role) VALUES (?, ?, ?, ?) "
            + "ON CONFLICT (login) DO NOTHING", login, passwordHash, totpSecret, role.name()) == 1;
    }

    /** Locks an account until it is unlocked, or unlocks it (also clearing a lock-out after failures). */
    public boolean setDisabled(String login, boolean disabled) {
        return jdbc.update(disabled ? "UPDATE console.account SET disabled = true WHERE login = ?"
            : "UPDATE console.account SET disabled = false, locked_until = NULL, failed_attempts = 0 WHERE login = ?", login) == 1;
    }

    /** Every account, without its secrets. */
    public List<AccountSummary> list() {
        return jdbc.query("SELECT login, role, disabled, locked_until, created_at FROM console.account ORDER BY login",
            (row, n) -> new AccountSummary(row.getString(1), row.getString(2), row.getBoolean(3),
                row.getTimestamp(4) == null ? null : row.getTimestamp(4).toInstant(), row.getTimestamp(5).toInstant()));
    }

    public record AccountSummary(String login, String role, boolean disabled, Instant lockedUntil, Instant createdAt) {
    }

    /** One more failure; locks the account when it reaches {@code threshold}. Returns true when it locked it now. */
    @Transactional
    public boolean recordFailure(String login, int threshold, Duration lockout, Instant now) {
        Integer failures = jdbc.queryForObject("UPDATE console.account SET failed_attempts = failed_attempts + 1 "
            + "WHERE login = ? RETURNING failed_attempts", Integer.class, login);
        if (failures != null && failures >= threshold) {
            jdbc.update("UPDATE console.account SET locked_until = ?, failed_attempts = 0 WHERE login = ?",
                Timestamp.from(now.plus(lockout)), login);
            return true;
        }
        return false;
    }

    public void recordSuccess(String login, long totpStep) {
        jdbc.update("UPDATE console.account SET failed_attempts = 0, locked_until = NULL, last_totp_step = ? WHERE login = ?",
            totpStep, login);
    }

    public void audit(String login, String outcome, String reason, String remoteAddress) {
        jdbc.update("INSERT INTO console.login_event (login, outcome, reason, remote_address) VALUES (?, ?, ?, ?)",
            login, outcome, reason, remoteAddress);
    }

    /** The latest console logins, newest first. */
    public List<LoginEvent> latestLogins(int limit) {
        return jdbc.query("SELECT at, login, outcome, reason, remote_address FROM console.login_event ORDER BY id DESC LIMIT ?",
            (row, n) -> new LoginEvent(row.getTimestamp(1).toInstant(), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5)), limit);
    }

    public record LoginEvent(Instant at, String login, String outcome, String reason, String remoteAddress) {
    }
}
