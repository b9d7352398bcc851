package fr.mssante.operator.smime.policy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

/** Policies in {@code mss.smime_policy}. */
public final class PolicyRepository implements PolicySource {
    private final DataSource dataSource;

    public PolicyRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void save(PolicyScope scope, String key, PolicySettings settings) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO mss.smime_policy (scope, scope_key, sign_mode, encrypt_mode) VALUES (?, ?, ?, ?)
                     ON CONFLICT (scope, scope_key) DO UPDATE SET sign_mode = EXCLUDED.sign_mode,
                         encrypt_mode = EXCLUDED.encrypt_mode, updated_at = now()""")) {
            ps.setString(1, scope.name());
            ps.setString(2, normalize(scope, key));
            ps.setString(3, settings.sign().name());
            ps.setString(4, settings.encrypt().name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot save an S/MIME policy", e);
        }
    }

    public boolean delete(PolicyScope scope, String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM mss.smime_policy WHERE scope = ? AND scope_key = ?")) {
            ps.setString(1, scope.name());
            ps.setString(2, normalize(scope, key));
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete an S/MIME policy", e);
        }
    }

    @Override
    public Optional<PolicySettings> find(PolicyScope scope, String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT sign_mode, encrypt_mode FROM mss.smime_policy WHERE scope = ? AND scope_key = ?")) {
            ps.setString(1, scope.name());
            ps.setString(2, normalize(scope, key));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PolicySettings(SignMode.valueOf(rs.getString(1)), EncryptMode.valueOf(rs.getString(2))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read an S/MIME policy", e);
        }
    }

    private static String normalize(PolicyScope scope, String key) {
        return scope == PolicyScope.OPERATOR ? "" : key.trim().toLowerCase(Locale.ROOT);
    }
}
