package fr.mssante.operator.citizen;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * One-time login codes of the health space (development login; contract B): 6 digits, valid {@link #VALIDITY}, at most
 * {@link #ATTEMPTS} tries, a new code at most every {@link #REISSUE_AFTER} per citizen. Only an HMAC of each code is
 * stored, under a key that lives in this process only (a copy of the table does not give the codes; a restart
 * invalidates the pending ones, which live ten minutes anyway).
 */
public class LoginCodes {
    public static final Duration VALIDITY = Duration.ofMinutes(10);
    public static final int ATTEMPTS = 5;
    public static final Duration REISSUE_AFTER = Duration.ofSeconds(60);

    /** The outcome of a verification. */
    public sealed interface Verdict {
        record Valid() implements Verdict {
        }

        record Invalid(int remainingAttempts) implements Verdict {
        }

        record Locked() implements Verdict {
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final byte[] key = new byte[32];

    public LoginCodes(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        random.nextBytes(key);
    }

    /** A new code for the citizen; empty when one was issued less than {@link #REISSUE_AFTER} ago (throttle). */
    public Optional<String> issue(Ins ins) throws SQLException {
        Instant now = clock.instant();
        String code = String.format(Locale.ROOT, "%06d", random.nextInt(1_000_000));
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO mss.citizen_login_code "
                 + "(ins, code_hash, issued_at, expires_at, attempts_left) VALUES (?, ?, ?, ?, ?) ON CONFLICT (ins) DO UPDATE "
                 + "SET code_hash = EXCLUDED.code_hash, issued_at = EXCLUDED.issued_at, expires_at = EXCLUDED.expires_at, "
                 + "attempts_left = EXCLUDED.attempts_left WHERE citizen_login_code.issued_at <= ?")) {
            upsert.setString(1, ins.value());
            upsert.setString(2, hash(ins, code));
            upsert.setTimestamp(3, Timestamp.from(now));
            upsert.setTimestamp(4, Timestamp.from(now.plus(VALIDITY)));
            upsert.setInt(5, ATTEMPTS);
            upsert.setTimestamp(6, Timestamp.from(now.minus(REISSUE_AFTER)));
            return upsert.executeUpdate() == 1 ? Optional.of(code) : Optional.empty();
        }
    }

    /** Checks a code: valid once; each wrong try uses one attempt; locked when none is left (or no code pending). */
    public Verdict verify(Ins ins, String code) throws SQLException {
        Instant now = clock.instant();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement("SELECT code_hash, expires_at, attempts_left "
                + "FROM mss.citizen_login_code WHERE ins = ? FOR UPDATE")) {
                query.setString(1, ins.value());
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next() || row.getTimestamp(2).toInstant().isBefore(now)) {
                        connection.commit();
                        return new Verdict.Invalid(0);
                    }
                    int left = row.getInt(3);
                    if (left <= 0) {
                        connection.commit();
                        return new Verdict.Locked();
                    }
                    boolean matches = MessageDigest.isEqual(row.getString(1).getBytes(StandardCharsets.US_ASCII),
                        hash(ins, code == null ? "" : code.trim()).getBytes(StandardCharsets.US_ASCII));
                    try (PreparedStatement update = connection.prepareStatement(matches
                        ? "DELETE FROM mss.citizen_login_code WHERE ins = ?"
                        : "UPDATE mss.citizen_login_code SET attempts_left = attempts_left - 1 WHERE ins = ?")) {
                        update.setString(1, ins.value());
                        update.executeUpdate();
                    }
                    connection.commit();
                    return matches ? new Verdict.Valid() : new Verdict.Invalid(left - 1);
                }
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private String hash(Ins ins, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((ins.value() + ":" + code).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
