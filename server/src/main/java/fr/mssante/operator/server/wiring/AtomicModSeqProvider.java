package fr.mssante.operator.server.wiring;

import java.util.function.Supplier;

import javax.inject.Inject;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.jpa.mail.JPAModSeqProvider;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;

/** The MODSEQ counterpart of {@link AtomicUidProvider}: incremented in the database, in the caller's transaction if any. */
public class AtomicModSeqProvider extends JPAModSeqProvider {
    private final EntityManagerFactory factory;
    private final Supplier<EntityManager> transaction;

    @Inject
    public AtomicModSeqProvider(EntityManagerFactory factory) {
        this(factory, () -> null);
    }

    AtomicModSeqProvider(EntityManagerFactory factory, Supplier<EntityManager> transaction) {
        super(factory);
        this.factory = factory;
        this.transaction = transaction;
    }

    @Override
    public ModSeq nextModSeq(Mailbox mailbox) throws MailboxException {
        return nextModSeq(mailbox.getMailboxId());
    }

    @Override
    public ModSeq nextModSeq(MailboxId mailboxId) throws MailboxException {
        return ModSeq.of(MailboxCounters.allocate(factory, transaction.get(), MailboxCounters.NEXT_MODSEQ, mailboxId).modSeq());
    }
}
