package fr.mssante.operator.authentication;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.LoggerFactory;

import fr.mssante.operator.register.AccessRole;
import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

/**
 * Who may use which mailbox, from the register ({@code mss.mailbox}, {@code mss.mailbox_access}): the identity's
 * {@link AccessRole}s on the mailbox (holder, co-holder, delegate) and what each allows ({@link AccessRole#mayRead()},
 * {@link AccessRole#maySend()}: the one place for role rights). Only usable ({@link MailboxState#usable()}) mailboxes
 * are opened. Also records the last activity of a mailbox (at most once a
 * minute per mailbox, so that busy sessions do not write on every login).
 */
public class MailboxAccess {
    private static final Duration ACTIVITY_RESOLUTION = Duration.ofMinutes(1);

    private final DataSource dataSource;
    private final Clock clock;

    public MailboxAccess(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The decision: the mailbox the session will use, or why not. */
    public sealed interface Decision {
        /**
         * @param grounds why, for the audit trail: the {@link AccessRole} that allows it, or the authentication's own
         *                grounds (the mailbox's own credential, the health space's gateway)
         */
        record Allowed(String mailbox, String grounds, Optional<AccessRole> role) implements Decision {
            /** Allowed by the register: the identity's role on the mailbox. */
            public Allowed(String mailbox, AccessRole role) {
                this(mailbox, role.name(), Optional.of(role));
            }

            /** Allowed on the authentication's own grounds, outside the register's roles. */
            public Allowed(String mailbox, String grounds) {
                this(mailbox, grounds, Optional.empty());
            }
        }

        record Refused(String reason) implements Decision {
        }
    }

    /**
     * A mailbox row as authentication needs it. Its holder is who answers for the mailbox in the register, never who is
     * acting through a session: that is the session's {@link AuthenticatedPrincipal} (on mail, {@link SubmissionPrincipal}).
     */
    public record Entry(String address, MailboxKind kind, String holderId, MailboxState state,
                        Optional<PasswordPolicy> passwordLogin) {
    }

    public Optional<Entry> find(String address) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT address, kind, holder_id, state, password_login FROM mss.mailbox WHERE address = ?")) {
            query.setString(1, key(address));
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(entry(row)) : Optional.empty();
            }
        }
    }

    /**
     * Which mailbox an identity may use for {@code purpose}: the requested one if its role allows it, otherwise (nothing
     * requested) the active mailbox it holds with the best preferred rank, personal mailboxes first.
     */
    public Decision resolve(String identity, Optional<String> requested, Purpose purpose) throws SQLException {
        if (requested.isPresent()) {
            return decide(identity, key(requested.get()), purpose);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT address FROM mss.mailbox WHERE holder_id = ? "
                 + "AND state = ? ORDER BY (kind = ?) DESC, preferred_rank NULLS LAST, address LIMIT 1")) {
            query.setString(1, identity.trim());
            query.setString(2, MailboxState.ACTIVE.name());
            query.setString(3, MailboxKind.PER.name());
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    return new Decision.Allowed(row.getString(1), AccessRole.HOLDER);
                }
            }
        }
        return new Decision.Refused("no active mailbox held by this identity; name one (authorisation identity)");
    }

    /** May the identity use this mailbox for the purpose? */
    public Decision decide(String identity, String address, Purpose purpose) throws SQLException {
        Optional<Entry> mailbox = find(address);
        if (mailbox.isEmpty()) {
            return new Decision.Refused("unknown mailbox " + key(address));
        }
        if (!mailbox.get().state().usable()) {
            return new Decision.Refused("mailbox " + mailbox.get().address() + " is " + mailbox.get().state().name().toLowerCase(Locale.ROOT));
        }
        List<AccessRole> roles = new ArrayList<>();
        if (mailbox.get().holderId().equals(identity.trim())) {
            roles.add(AccessRole.HOLDER);
        }
        roles.addAll(rolesOf(identity, mailbox.get().address()));
        if (roles.isEmpty()) {
            return new Decision.Refused("neither holder, co-holder nor delegate of " + mailbox.get().address());
        }
        // the strongest standing first (enum order): a holder who is also a delegate acts as the holder
        roles.sort(null);
        Optional<AccessRole> allowing = roles.stream().filter(purpose::grantedBy).findFirst();
        if (allowing.isPresent()) {
            return new Decision.Allowed(mailbox.get().address(), allowing.get());
        }
        return new Decision.Refused("as " + roles.get(0) + " of " + mailbox.get().address() + ", may not "
            + (purpose == Purpose.READ ? "read it" : "send from it"));
    }

    public void touch(String address) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE mss.mailbox SET last_activity_at = ? WHERE address = ? "
                 + "AND (last_activity_at IS NULL OR last_activity_at < ?)")) {
            update.setTimestamp(1, Timestamp.from(clock.instant()));
            update.setString(2, key(address));
            update.setTimestamp(3, Timestamp.from(clock.instant().minus(ACTIVITY_RESOLUTION)));
            update.executeUpdate();
        } catch (SQLException e) {
            LoggerFactory.getLogger(MailboxAccess.class).warn("Could not record the activity of a mailbox", e);
        }
    }

    /** Registers the certificate subject that identifies a mailbox for SASL EXTERNAL. */
    public void registerCertificate(String address, String subjectDn, Optional<String> sha256) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement("INSERT INTO mss.mailbox_certificate (address, subject_dn, sha256) "
                 + "VALUES (?, ?, ?) ON CONFLICT (address, subject_dn) DO UPDATE SET sha256 = EXCLUDED.sha256, registered_at = now()")) {
            upsert.setString(1, key(address));
            upsert.setString(2, subjectDn);
            upsert.setString(3, sha256.map(value -> value.toLowerCase(Locale.ROOT)).orElse(null));
            upsert.executeUpdate();
        }
    }

    public void removeCertificate(String address, String subjectDn) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(
                 "DELETE FROM mss.mailbox_certificate WHERE address = ? AND subject_dn = ?")) {
            delete.setString(1, key(address));
            delete.setString(2, subjectDn);
            delete.executeUpdate();
        }
    }

    /** Mailboxes registered for this certificate subject (and, where pinned, this exact certificate). */
    public List<String> mailboxesForCertificate(String subjectDn, String sha256) throws SQLException {
        List<String> addresses = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT address FROM mss.mailbox_certificate "
                 + "WHERE subject_dn = ? AND (sha256 IS NULL OR sha256 = ?) ORDER BY address")) {
            query.setString(1, subjectDn);
            query.setString(2, sha256.toLowerCase(Locale.ROOT));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    addresses.add(rows.getString(1));
                }
            }
        }
        return addresses;
    }

    public void setPasswordPolicy(String address, Optional<PasswordPolicy> policy) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement("UPDATE mss.mailbox SET password_login = ? WHERE address = ?")) {
            update.setString(1, policy.map(Enum::name).orElse(null));
            update.setString(2, key(address));
            if (update.executeUpdate() == 0) {
                throw new IllegalArgumentException("no mailbox " + key(address));
            }
        }
    }

    private List<AccessRole> rolesOf(String identity, String address) throws SQLException {
        List<AccessRole> roles = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT role FROM mss.mailbox_access WHERE identity = ? AND address = ?")) {
            query.setString(1, identity.trim());
            query.setString(2, address);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    roles.add(AccessRole.valueOf(rows.getString(1)));
                }
            }
        }
        return roles;
    }

    private static Entry entry(ResultSet row) throws SQLException {
        return new Entry(row.getString(1), MailboxKind.valueOf(row.getString(2)), row.getString(3),
            MailboxState.valueOf(row.getString(4)),
            Optional.ofNullable(row.getString(5)).map(PasswordPolicy::valueOf));
    }

    private static String key(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
