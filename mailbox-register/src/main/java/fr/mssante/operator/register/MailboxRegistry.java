package fr.mssante.operator.register;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;
import javax.sql.DataSource;

import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

/**
 * The operator's mailbox register ({@code mss.mailbox}): creation, updates of the mutable facts, state changes,
 * co-holders and delegates — every change written to {@code mss.mailbox_change} in the same transaction, with its actor.
 * Address and kind are immutable; co-holders only for CAB and ORG; nothing changes on a closed mailbox. Times
 * (creation, dépublication, each change) come from the injected clock.
 */
public class MailboxRegistry {
    private final DataSource dataSource;
    private final Clock clock;

    @Inject
    public MailboxRegistry(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public void create(MailboxRecord mailbox, String actor) throws SQLException {
        inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mss.mailbox (address, kind, holder_id, "
                + "description, service, liste_rouge, preferred_rank, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, mailbox.address());
                insert.setString(2, mailbox.kind().name());
                insert.setString(3, mailbox.holderId());
                insert.setString(4, mailbox.description().orElse(null));
                insert.setString(5, mailbox.service().orElse(null));
                insert.setBoolean(6, mailbox.listeRouge());
                insert.setObject(7, mailbox.preferredRank().orElse(null));
                insert.setString(8, mailbox.state().name());
                insert.setTimestamp(9, Timestamp.from(clock.instant()));
                insert.executeUpdate();
            }
            audit(connection, mailbox.address(), actor, "CREATED", mailbox.kind() + " held by " + mailbox.holderId());
        });
    }

    /** Updates the mutable facts (description, service, listeRouge, rank); address, kind and holder stay. */
    public void update(String address, Optional<String> description, Optional<String> service, boolean listeRouge,
                       Optional<Integer> preferredRank, String actor) throws SQLException {
        inTransaction(connection -> {
            MailboxRecord current = requireOpen(connection, address);
            try (PreparedStatement update = connection.prepareStatement("UPDATE mss.mailbox SET description = ?, service = ?, "
                + "liste_rouge = ?, preferred_rank = ? WHERE address = ?")) {
                update.setString(1, description.orElse(null));
                update.setString(2, service.orElse(null));
                update.setBoolean(3, listeRouge);
                update.setObject(4, preferredRank.orElse(null));
                update.setString(5, current.address());
                update.executeUpdate();
            }
            audit(connection, current.address(), actor, "UPDATED", "listeRouge=" + listeRouge);
        });
    }

    public void changeState(String address, MailboxState state, String actor) throws SQLException {
        inTransaction(connection -> {
            MailboxRecord current = requireOpen(connection, address);
            try (PreparedStatement update = connection.prepareStatement("UPDATE mss.mailbox SET state = ? WHERE address = ?")) {
                update.setString(1, state.name());
                update.setString(2, current.address());
                update.executeUpdate();
            }
            audit(connection, current.address(), actor, "STATE", current.state() + " -> " + state);
        });
    }

    public void grant(String address, String identity, AccessRole role, String actor) throws SQLException {
        inTransaction(connection -> {
            MailboxRecord current = requireOpen(connection, address);
            if (!role.granted()) {
                throw new IllegalArgumentException("the holder is the register's holder id, not a grant");
            }
            if (!role.grantableOn(current.kind())) {
                throw new IllegalArgumentException(current.kind() + " mailboxes have no co-holders (only CAB and ORG)");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mss.mailbox_access (address, identity, role) "
                + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, current.address());
                insert.setString(2, identity.trim());
                insert.setString(3, role.name());
                insert.executeUpdate();
            }
            audit(connection, current.address(), actor, "GRANTED", role + " to " + identity.trim());
        });
    }

    public void revoke(String address, String identity, AccessRole role, String actor) throws SQLException {
        inTransaction(connection -> {
            String key = address.trim().toLowerCase(Locale.ROOT);
            try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM mss.mailbox_access WHERE address = ? AND identity = ? AND role = ?")) {
                delete.setString(1, key);
                delete.setString(2, identity.trim());
                delete.setString(3, role.name());
                if (delete.executeUpdate() > 0) {
                    audit(connection, key, actor, "REVOKED", role + " from " + identity.trim());
                }
            }
        });
    }

    /**
     * Withdraws a mailbox from the national directory (dépublication), audited; a no-op when already unpublished.
     *
     * @return true when it was published until now
     */
    public boolean unpublish(String address, String reason, String actor) throws SQLException {
        boolean[] changed = {false};
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE mss.mailbox SET published = false, "
                + "unpublished_at = ?, unpublished_reason = ? WHERE address = ? AND published")) {
                update.setTimestamp(1, Timestamp.from(clock.instant()));
                update.setString(2, reason);
                update.setString(3, address.trim().toLowerCase(Locale.ROOT));
                changed[0] = update.executeUpdate() > 0;
            }
            if (changed[0]) {
                audit(connection, address.trim().toLowerCase(Locale.ROOT), actor, "UNPUBLISHED", reason);
            }
        });
        return changed[0];
    }

    /** Publishes a mailbox again (e.g. its holder came back), audited. */
    public boolean republish(String address, String actor) throws SQLException {
        boolean[] changed = {false};
        inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE mss.mailbox SET published = true, "
                + "unpublished_at = NULL, unpublished_reason = NULL WHERE address = ? AND NOT published")) {
                update.setString(1, address.trim().toLowerCase(Locale.ROOT));
                changed[0] = update.executeUpdate() > 0;
            }
            if (changed[0]) {
                audit(connection, address.trim().toLowerCase(Locale.ROOT), actor, "REPUBLISHED", "");
            }
        });
        return changed[0];
    }

    public Optional<MailboxRecord> find(String address) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, address);
        }
    }

    /** Mailboxes an identity (national id) holds, co-holds or is delegated to, with its role; closed ones left out. */
    public List<Access> accessOf(String identity) throws SQLException {
        List<Access> accesses = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT address, ? FROM mss.mailbox WHERE holder_id = ? AND state <> ? "
                     + "UNION ALL SELECT a.address, a.role FROM mss.mailbox_access a JOIN mss.mailbox m ON m.address = a.address "
                     + "WHERE a.identity = ? AND m.state <> ? ORDER BY 1")) {
            query.setString(1, AccessRole.HOLDER.name());
            query.setString(2, identity.trim());
            query.setString(3, MailboxState.CLOSED.name());
            query.setString(4, identity.trim());
            query.setString(5, MailboxState.CLOSED.name());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    accesses.add(new Access(rows.getString(1), AccessRole.valueOf(rows.getString(2))));
                }
            }
        }
        return accesses;
    }

    /** The mailboxes of the register, by address, a page at a time (the console's list). */
    public List<MailboxRecord> list(int offset, int limit) throws SQLException {
        List<MailboxRecord> mailboxes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT address FROM mss.mailbox ORDER BY address OFFSET ? LIMIT ?")) {
            query.setInt(1, offset);
            query.setInt(2, limit);
            List<String> addresses = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    addresses.add(rows.getString(1));
                }
            }
            for (String address : addresses) {
                find(connection, address).ifPresent(mailboxes::add);
            }
        }
        return mailboxes;
    }

    /** Who else than the holder may use a mailbox: its co-holders and delegates, with their role. */
    public List<Grant> grantsOf(String address) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT identity, role FROM mss.mailbox_access WHERE address = ? ORDER BY role, identity")) {
            query.setString(1, address.trim().toLowerCase(Locale.ROOT));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    grants.add(new Grant(rows.getString(1), AccessRole.valueOf(rows.getString(2))));
                }
            }
        }
        return grants;
    }

    /** One identity's role on a mailbox (co-holder or delegate). */
    public record Grant(String identity, AccessRole role) {
    }

    /** The audit trail of one mailbox, oldest first: "change: detail (actor)". */
    public List<String> history(String address) throws SQLException {
        List<String> changes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                 "SELECT change, detail, actor FROM mss.mailbox_change WHERE address = ? ORDER BY id")) {
            query.setString(1, address.trim().toLowerCase(Locale.ROOT));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    changes.add(rows.getString(1) + ": " + rows.getString(2) + " (" + rows.getString(3) + ")");
                }
            }
        }
        return changes;
    }

    /** One access of an identity to a mailbox, with its role ({@link AccessRole#HOLDER} for the holder). */
    public record Access(String address, AccessRole role) {
    }

    private static Optional<MailboxRecord> find(Connection connection, String address) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT address, kind, holder_id, description, service, "
            + "liste_rouge, preferred_rank, state, created_at, last_activity_at FROM mss.mailbox WHERE address = ?")) {
            query.setString(1, address.trim().toLowerCase(Locale.ROOT));
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Timestamp lastActivity = row.getTimestamp(10);
                return Optional.of(new MailboxRecord(row.getString(1), MailboxKind.valueOf(row.getString(2)), row.getString(3),
                    Optional.ofNullable(row.getString(4)), Optional.ofNullable(row.getString(5)), row.getBoolean(6),
                    Optional.ofNullable((Integer) row.getObject(7)), MailboxState.valueOf(row.getString(8)),
                    row.getTimestamp(9).toInstant(), Optional.ofNullable(lastActivity).map(Timestamp::toInstant)));
            }
        }
    }

    private static MailboxRecord requireOpen(Connection connection, String address) throws SQLException {
        MailboxRecord current = find(connection, address)
            .orElseThrow(() -> new IllegalArgumentException("no mailbox " + address));
        if (!current.state().changeable()) {
            throw new IllegalArgumentException("mailbox " + current.address() + " is closed");
        }
        return current;
    }

    private void audit(Connection connection, String address, String actor, String change, String detail)
        throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO mss.mailbox_change (at, address, actor, change, detail) VALUES (?, ?, ?, ?, ?)")) {
            insert.setTimestamp(1, Timestamp.from(clock.instant()));
            insert.setString(2, address);
            insert.setString(3, actor);
            insert.setString(4, change);
            insert.setString(5, detail);
            insert.executeUpdate();
        }
    }

    private interface Work {
        void run(Connection connection) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                work.run(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
