package fr.mssante.operator.authentication;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;

import javax.sql.DataSource;

import fr.mssante.operator.smime.keystore.MasterKey;

/** TOTP secrets in {@code mss.mailbox_totp}, sealed with the master key (AES-GCM, the address as associated data). */
public class TotpStore {
    private final DataSource dataSource;
    private final MasterKey masterKey;
    private final SecureRandom random = new SecureRandom();

    public TotpStore(DataSource dataSource, MasterKey masterKey) {
        this.dataSource = dataSource;
        this.masterKey = masterKey;
    }

    /** Creates (or replaces) the secret of a mailbox. @return the secret in base32, to show once to its holder */
    public String enrol(String address) throws SQLException, GeneralSecurityException {
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        String key = key(address);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO mss.mailbox_totp (address, secret) VALUES (?, ?) "
                 + "ON CONFLICT (address) DO UPDATE SET secret = EXCLUDED.secret, last_step = 0, created_at = now()")) {
            upsert.setString(1, key);
            upsert.setBytes(2, masterKey.seal(secret, key.getBytes(StandardCharsets.UTF_8)));
            upsert.executeUpdate();
        }
        return Totp.base32(secret);
    }

    /** Checks a code and consumes its time step (a code is accepted once). */
    public boolean verify(String address, String code, Instant now) throws SQLException, GeneralSecurityException {
        String key = key(address);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement(
                "SELECT secret, last_step FROM mss.mailbox_totp WHERE address = ? FOR UPDATE")) {
                query.setString(1, key);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        connection.rollback();
                        return false;
                    }
                    byte[] secret = masterKey.open(row.getBytes(1), key.getBytes(StandardCharsets.UTF_8));
                    OptionalLong step = Totp.verify(secret, code, now, row.getLong(2));
                    if (step.isEmpty()) {
                        connection.rollback();
                        return false;
                    }
                    try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE mss.mailbox_totp SET last_step = ? WHERE address = ?")) {
                        update.setLong(1, step.getAsLong());
                        update.setString(2, key);
                        update.executeUpdate();
                    }
                    connection.commit();
                    return true;
                }
            }
        }
    }

    /** The raw secret (development tools and tests only: the dev issuer prints current codes). */
    public byte[] secret(String address) throws SQLException, GeneralSecurityException {
        String key = key(address);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT secret FROM mss.mailbox_totp WHERE address = ?")) {
            query.setString(1, key);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("no TOTP secret for " + key);
                }
                return masterKey.open(row.getBytes(1), key.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String key(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
