package fr.mssante.operator.server.wiring;

import javax.inject.Inject;
import javax.persistence.EntityManagerFactory;

import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.jpa.JPAMailboxSessionMapperFactory;
import org.apache.james.mailbox.store.mail.MessageMapper;

/** James's JPA mapper factory, handing out {@link RowLockedMessageMapper}s and the atomic UID/MODSEQ providers. */
public class RowLockedMailboxSessionMapperFactory extends JPAMailboxSessionMapperFactory {
    private final EntityManagerFactory factory;

    @Inject
    public RowLockedMailboxSessionMapperFactory(EntityManagerFactory factory, AtomicUidProvider uids, AtomicModSeqProvider modSeqs) {
        super(factory, uids, modSeqs);
        this.factory = factory;
    }

    @Override
    public MessageMapper createMessageMapper(MailboxSession session) {
        return RowLockedMessageMapper.create(factory);
    }
}
