package fr.mssante.operator.server.wiring;

import java.time.Clock;

import javax.inject.Inject;

import org.apache.james.events.EventBus;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.SessionProvider;
import org.apache.james.mailbox.jpa.openjpa.OpenJPAMailboxManager;
import org.apache.james.mailbox.jpa.openjpa.OpenJPAMessageManager;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.store.StoreMailboxAnnotationManager;
import org.apache.james.mailbox.store.StoreMessageManager;
import org.apache.james.mailbox.store.StoreRightManager;
import org.apache.james.mailbox.store.mail.ThreadIdGuessingAlgorithm;
import org.apache.james.mailbox.store.mail.model.impl.MessageParser;
import org.apache.james.mailbox.store.quota.QuotaComponents;
import org.apache.james.mailbox.store.search.MessageSearchIndex;

/**
 * James's OpenJPA mailbox manager on {@link RowLockedMessageMapper}: the mailbox row lock orders appends, copies and
 * moves in the database (so across JVMs too), and James's per-mailbox JVM lock is kept in front of it.
 *
 * <p>The JVM lock is what bounds the waiters: without it, every delivery thread of a node delivering to one mailbox
 * took a pooled connection and parked it on the row lock, so one busy mailbox could exhaust the pool (two nodes with
 * 16 connections each and 20 spool threads: 31 sessions waiting on one row, every other mailbox and IMAP starved, and
 * a deadlock when the row-lock holder needed a second connection, see {@link JpaStorageModule}). With it, at most one
 * connection per JVM waits for a given mailbox row; the others wait in the JVM without a connection. It costs no
 * throughput: appends to one mailbox are serialised by the row lock anyway.
 */
public class RowLockedMailboxManager extends OpenJPAMailboxManager {
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
        return new OpenJPAMessageManager(getMapperFactory(), getMessageSearchIndex(), getEventBus(), getLocker(),
            mailboxRow, getQuotaComponents().getQuotaManager(), getQuotaComponents().getQuotaRootResolver(),
            getMessageIdFactory(), configuration.getBatchSizes(), getStoreRightManager(),
            getThreadIdGuessingAlgorithm(), getClock());
    }
}
