package fr.mssante.operator.server.wiring;

import java.util.function.Supplier;

import javax.inject.Inject;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.jpa.mail.JPAUidProvider;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;

/**
 * James's {@link JPAUidProvider} reads the mailbox row, adds one in Java and writes the row back: two such
 * allocations running at once (two deliveries without a common JVM lock, two server JVMs) get the same UID. This
 * one increments in the database ({@link MailboxCounters}); inside a message mapper it joins the mapper's transaction.
 */
public class AtomicUidProvider extends JPAUidProvider {
    private final EntityManagerFactory factory;
    private final Supplier<EntityManager> transaction;

    @Inject
    public AtomicUidProvider(EntityManagerFactory factory) {
        this(factory, () -> null);
    }

    AtomicUidProvider(EntityManagerFactory factory, Supplier<EntityManager> transaction) {
        super(factory);
        this.factory = factory;
        this.transaction = transaction;
    }

    @Override
    public MessageUid nextUid(Mailbox mailbox) throws MailboxException {
        return nextUid(mailbox.getMailboxId());
    }

    @Override
    public MessageUid nextUid(MailboxId mailboxId) throws MailboxException {
        return MessageUid.of(MailboxCounters.allocate(factory, transaction.get(), MailboxCounters.NEXT_UID, mailboxId).uid());
    }
}
