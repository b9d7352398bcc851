package fr.mssante.operator.server.wiring;

import java.time.Clock;

import javax.inject.Inject;

import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxPathLocker;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.jpa.openjpa.OpenJPAMailboxManager;
import org.apache.james.mailbox.jpa.openjpa.OpenJPAMessageManager;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.store.NoMailboxPathLocker;
import org.apache.james.mailbox.store.StoreMailboxAnnotationManager;
import org.apache.james.mailbox.store.StoreMessageManager;
import org.apache.james.mailbox.store.StoreRightManager;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.model.impl.MessageParser;
import org.apache.james.mailbox.store.quota.QuotaComponents;
import org.apache.james.mailbox.store.search.MessageSearchIndex;

/**
 * James's OpenJPA mailbox manager without the per-mailbox JVM write lock around appends, copies and moves: the
 * mailbox row lock taken by {@link RowLockedMessageMapper} orders them instead, in the database (so across JVMs too).
 * Mailbox creation, renaming and deletion keep James's JVM lock (and the database's unique name constraint).
 *
 * <p>Mailbox events of two concurrent appends may reach listeners out of UID order; James's IMAP layer inserts a UID
 * at its place (its distributed server, which has no JVM lock, relies on this).
 */
public class RowLockedMailboxManager extends OpenJPAMailboxManager {
    private static final MailboxPathLocker ROW_LOCKED = new NoMailboxPathLocker();

    @Inject
    public RowLockedMailboxManager(RowLockedMailboxSessionMapperFactory mapperFactory, SessionProvider sessionProvider,
                                   MessageParser messageParser, MessageId.Factory messageIdFactory, EventBus eventBus,
                                   StoreMailboxAnnotationManager annotationManager, StoreRightManager storeRightManager,
                                   QuotaComponents quotaComponents, MessageSearchIndex index,
                                   ThreadIdGuessingAlgorithm threadIdGuessingAlgorithm, Clock clock) {
        super(mapperFactory, sessionProvider, messageParser, messageIdFactory, eventBus, annotationManager,
            storeRightManager, quotaComponents, index, threadIdGuessingAlgorithm, clock);
    }

    @Override
    protected StoreMessageManager createMessageManager(Mailbox mailboxRow, MailboxSession session) {
        return new OpenJPAMessageManager(getMapperFactory(), getMessageSearchIndex(), getEventBus(), ROW_LOCKED,
            mailboxRow, getQuotaComponents().getQuotaManager(), getQuotaComponents().getQuotaRootResolver(),
            getMessageIdFactory(), configuration.getBatchSizes(), getStoreRightManager(),
            getThreadIdGuessingAlgorithm(), getClock());
    }
}
