package fr.mssante.operator.server.wiring;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;

import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.ModSeq;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.jpa.JPAId;
import org.apache.james.mailbox.jpa.mail.JPAMessageMapper;
import org.apache.james.mailbox.jpa.mail.model.JPAMailbox;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageMetaData;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.UpdatedFlags;
import org.apache.james.mailbox.store.FlagsUpdateCalculator;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;

import fr.mssante.operator.server.search.MessageTextIndex;

/**
 * James's JPA message mapper, with the UID and MODSEQ of an appended message allocated in the transaction that
 * inserts it (one {@code UPDATE … RETURNING} on the mailbox row, {@link MailboxCounters}), instead of two transactions
 * of their own before it.
 *
 * <p>The mailbox row stays locked from the allocation to the commit, so appends to one mailbox commit in UID order:
 * a reader never sees UID n+1 without UID n, which is what James's per-mailbox JVM lock ensured (and only inside one
 * JVM). The locked span is now the allocation, the INSERTs and the COMMIT; appends to different mailboxes never wait
 * for each other. Copies and flag changes take their numbers in their transaction too. The appended message's
 * searchable text is inserted in the same transaction (one commit, no second read of the message; ADR 0011).
 *
 * <p>While it holds the row lock, an append must never wait for anything another appender may hold: James's JVM lock
 * stays in front of the mapper ({@link RowLockedMailboxManager}: at most one connection per JVM waits for a mailbox
 * row) and OpenJPA's id sequence has a pool of its own ({@link JpaStorageModule}: the lock holder needs a second
 * connection when it inserts properties). Without both, more appenders than pooled connections deadlocked.
 *
 * <p>Like James's mapper, an instance belongs to one mailbox session at a time (not thread-safe).
 */
public class RowLockedMessageMapper extends JPAMessageMapper {
    private final EntityManagerFactory factory;

    private RowLockedMessageMapper(EntityManagerFactory factory, AtomicUidProvider uids, AtomicModSeqProvider modSeqs) {
        super(uids, modSeqs, factory);
        this.factory = factory;
    }

    public static RowLockedMessageMapper create(EntityManagerFactory factory) {
        AtomicReference<RowLockedMessageMapper> self = new AtomicReference<>();
        Supplier<EntityManager> transaction = () -> {
            RowLockedMessageMapper mapper = self.get();
            return mapper == null ? null : mapper.entityManager;
        };
        RowLockedMessageMapper mapper = new RowLockedMessageMapper(factory,
            new AtomicUidProvider(factory, transaction), new AtomicModSeqProvider(factory, transaction));
        self.set(mapper);
        return mapper;
    }

    @Override
    public MessageMetaData add(Mailbox mailbox, MailboxMessage message) throws MailboxException {
        EntityManager manager = getEntityManager();
        JPAId mailboxId = (JPAId) mailbox.getMailboxId();
        try {
            // read the mailbox entity before taking the row lock: save() below finds it in the persistence context
            manager.find(JPAMailbox.class, mailboxId.getRawId());
        } catch (PersistenceException e) {
            throw new MailboxException("Unable to read mailbox " + mailboxId.serialize(), e);
        }
        MailboxCounters.Allocated next = MailboxCounters.allocate(factory, manager, MailboxCounters.NEXT_UID_AND_MODSEQ, mailboxId);
        message.setUid(MessageUid.of(next.uid()));
        message.setModSeq(ModSeq.of(next.modSeq()));
        // the bytes the message holds, read before it is handed to OpenJPA
        byte[] header = bytes(message, true);
        byte[] body = bytes(message, false);
        MessageMetaData saved = save(mailbox, message);
        indexText(manager, mailboxId, next.uid(), header, body);
        return saved;
    }

    /**
     * James reads the messages' flags, then allocates the MODSEQ (which locks the mailbox row), then writes the new
     * flags: two flag changes of one message at once (two sessions, or two nodes) both read the old flags and the
     * second commit overwrote the first (a \Seen or a \Deleted lost). Here the mailbox row is locked first, so the
     * second change waits for the first to commit and reads its flags.
     */
    @Override
    public Iterator<UpdatedFlags> updateFlags(Mailbox mailbox, FlagsUpdateCalculator calculator, MessageRange set)
        throws MailboxException {
        MailboxCounters.lock(getEntityManager(), mailbox.getMailboxId());
        return super.updateFlags(mailbox, calculator, set);
    }

    private static byte[] bytes(MailboxMessage message, boolean header) throws MailboxException {
        try (InputStream content = header ? message.getHeaderContent() : message.getBodyContent()) {
            return content.readAllBytes();
        } catch (IOException e) {
            throw new MailboxException("Unable to read the message to index its text", e);
        }
    }

    /** The message's searchable text, in this transaction (ADR 0011): committed with the message or not at all. */
    private static void indexText(EntityManager manager, JPAId mailboxId, long uid, byte[] header, byte[] body)
        throws MailboxException {
        MailboxCounters.onTransactionConnection(manager, "index the text of a message in mailbox " + mailboxId.serialize(),
            connection -> {
                MessageTextIndex.indexInTransaction(connection, mailboxId.getRawId(), uid, header, body);
                return null;
            });
    }
}
