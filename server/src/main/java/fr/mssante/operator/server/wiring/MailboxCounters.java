package fr.mssante.operator.server.wiring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;

import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.jpa.JPAId;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.openjpa.persistence.OpenJPAEntityManager;
import org.apache.openjpa.persistence.OpenJPAPersistence;

/**
 * Allocates a mailbox's next UID and MODSEQ with one {@code UPDATE … RETURNING} on the mailbox row.
 *
 * <p>PostgreSQL increments the counters in the database (never from a value read earlier, so two allocations can
 * never get the same number, whichever JVM runs them) and keeps the row locked until the transaction ends. When the
 * allocation runs in the transaction that inserts the message, a second delivery to the same mailbox waits at its own
 * {@code UPDATE} until the first has committed: messages become visible in UID order, with no JVM lock, across any
 * number of server JVMs sharing the database. A rolled-back delivery gives its UID back.
 */
final class MailboxCounters {
    static final String NEXT_UID_AND_MODSEQ = "UPDATE james_mailbox"
        + " SET mailbox_last_uid = COALESCE(mailbox_last_uid, 0) + 1,"
        + " mailbox_highest_modseq = COALESCE(mailbox_highest_modseq, 0) + 1"
        + " WHERE mailbox_id = ? RETURNING mailbox_last_uid, mailbox_highest_modseq";
    static final String NEXT_UID = "UPDATE james_mailbox SET mailbox_last_uid = COALESCE(mailbox_last_uid, 0) + 1"
        + " WHERE mailbox_id = ? RETURNING mailbox_last_uid, mailbox_highest_modseq";
    static final String NEXT_MODSEQ = "UPDATE james_mailbox SET mailbox_highest_modseq = COALESCE(mailbox_highest_modseq, 0) + 1"
        + " WHERE mailbox_id = ? RETURNING mailbox_last_uid, mailbox_highest_modseq";

    /** The counters after an allocation. */
    record Allocated(long uid, long modSeq) {
    }

    private MailboxCounters() {
    }

    /**
     * Runs {@code sql} in {@code manager}'s active transaction (the row stays locked until that transaction ends), or,
     * when {@code manager} is null or has no active transaction, in a transaction of its own.
     */
    static Allocated allocate(EntityManagerFactory factory, EntityManager manager, String sql, MailboxId mailboxId)
        throws MailboxException {
        if (manager != null && manager.getTransaction().isActive()) {
            return inTransaction(manager, sql, mailboxId);
        }
        EntityManager own = factory.createEntityManager();
        try {
            own.getTransaction().begin();
            Allocated allocated = inTransaction(own, sql, mailboxId);
            own.getTransaction().commit();
            return allocated;
        } catch (PersistenceException e) {
            throw new MailboxException("Unable to allocate a UID/MODSEQ in mailbox " + mailboxId.serialize(), e);
        } finally {
            if (own.getTransaction().isActive()) {
                own.getTransaction().rollback();
            }
            own.close();
        }
    }

    static final String LOCK = "SELECT mailbox_id FROM james_mailbox WHERE mailbox_id = ? FOR UPDATE";

    /**
     * Locks the mailbox row in {@code manager}'s active transaction until it ends, without changing it; does nothing
     * outside a transaction. A flag change takes it before reading the messages it changes, so that two changes of one
     * message (two sessions, two nodes) read each other's committed flags instead of overwriting them.
     */
    static void lock(EntityManager manager, MailboxId mailboxId) throws MailboxException {
        if (manager == null || !manager.getTransaction().isActive()) {
            return;
        }
        onTransactionConnection(manager, "lock mailbox " + mailboxId.serialize(), connection -> {
            row(connection, LOCK, mailboxId, false);
            return null;
        });
    }

    private static Allocated inTransaction(EntityManager manager, String sql, MailboxId mailboxId) throws MailboxException {
        return onTransactionConnection(manager, "allocate a UID/MODSEQ in mailbox " + mailboxId.serialize(),
            connection -> row(connection, sql, mailboxId, true));
    }

    /** Runs {@code sql} (one mailbox id parameter) on the mailbox's row; its counters if {@code counters}, else null. */
    private static Allocated row(Connection connection, String sql, MailboxId mailboxId, boolean counters)
        throws SQLException, MailboxException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, ((JPAId) mailboxId).getRawId());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new MailboxException("No mailbox " + mailboxId.serialize());
                }
                return counters ? new Allocated(row.getLong(1), row.getLong(2)) : null;
            }
        }
    }

    /** Work on the JDBC connection of an OpenJPA transaction. */
    @FunctionalInterface
    interface OnConnection<T> {
        T run(Connection connection) throws SQLException, MailboxException;
    }

    /**
     * Runs {@code work} on the connection of {@code manager}'s transaction, opening its database transaction first:
     * an optimistic OpenJPA transaction opens it only at flush, and what runs here (a row lock, an allocation, an
     * INSERT) must share the connection and the COMMIT of the message's own statements.
     */
    static <T> T onTransactionConnection(EntityManager manager, String what, OnConnection<T> work) throws MailboxException {
        OpenJPAEntityManager openJpa = OpenJPAPersistence.cast(manager);
        try {
            if (!openJpa.isStoreActive()) {
                openJpa.beginStore();
            }
            Connection connection = (Connection) openJpa.getConnection();
            try {
                return work.run(connection);
            } finally {
                connection.close(); // gives the connection back to OpenJPA, which keeps it for the transaction
            }
        } catch (SQLException | PersistenceException e) {
            throw new MailboxException("Unable to " + what, e);
        }
    }
}
