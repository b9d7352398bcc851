package fr.mssante.operator.server.search;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.events.Group;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.events.MailboxEvents;
import org.apache.james.mailbox.jpa.JPAId;
import org.apache.james.mailbox.model.MailboxId;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Keeps {@link MessageTextIndex} in step with the mailboxes, synchronously: a message copied or moved into a mailbox
 * is indexed before the adding call returns (a delivered or APPENDed message already is: its text is inserted in the
 * transaction that stores it); expunged messages and deleted mailboxes are forgotten.
 * It never fails the mailbox operation: a message it could not index is found by the search's scan of un-indexed
 * messages and by the catch-up at the next start.
 */
@Singleton
public class MessageTextIndexer implements EventListener.ReactiveGroupEventListener {
    private static final Logger LOGGER = LoggerFactory.getLogger(MessageTextIndexer.class);

    /** This listener's group (public, no-argument constructor: James instantiates groups by name). */
    public static class MessageTextIndexerGroup extends Group {
    }

    private static final Group GROUP = new MessageTextIndexerGroup();

    private final MessageTextIndex index;

    @Inject
    public MessageTextIndexer(MessageTextIndex index) {
        this.index = index;
    }

    @Override
    public Group getDefaultGroup() {
        return GROUP;
    }

    @Override
    public ExecutionMode getExecutionMode() {
        return ExecutionMode.SYNCHRONOUS;
    }

    @Override
    public boolean isHandling(Event event) {
        return event instanceof MailboxEvents.Added || event instanceof MailboxEvents.Expunged
            || event instanceof MailboxEvents.MailboxDeletion;
    }

    @Override
    public Publisher<Void> reactiveEvent(Event event) {
        return Mono.<Void>fromRunnable(() -> handle(event));
    }

    private void handle(Event event) {
        try {
            if (event instanceof MailboxEvents.Added added) {
                if (added.isDelivery()) {
                    return; // a delivery is indexed in the transaction that stored it (RowLockedMessageMapper)
                }
                // an APPEND is too (nothing left to read); copies and moves are indexed here
                index.indexFromStore(rawId(added.getMailboxId()), uids(added.getUids()));
            } else if (event instanceof MailboxEvents.Expunged expunged) {
                index.delete(rawId(expunged.getMailboxId()), uids(expunged.getUids()));
            } else if (event instanceof MailboxEvents.MailboxDeletion deletion) {
                index.deleteMailbox(rawId(deletion.getMailboxId()));
            }
        } catch (Exception e) {
            // the index is only incomplete or stale: searches stay exact (ADR 0011); no message content is logged
            LOGGER.warn("Search index not updated for {} in mailbox {}: {}", event.getClass().getSimpleName(),
                event instanceof MailboxEvents.MailboxEvent mailboxEvent ? mailboxEvent.getMailboxId().serialize() : "?",
                describe(e));
        }
    }

    /** The kind of failure only: a JDBC batch error's message quotes the statement's values (message text). */
    static String describe(Exception e) {
        if (e instanceof SQLException sql) {
            return e.getClass().getSimpleName() + " SQLState " + sql.getSQLState();
        }
        return e.getClass().getSimpleName();
    }

    static long rawId(MailboxId id) {
        if (id instanceof JPAId jpaId) {
            return jpaId.getRawId();
        }
        return Long.parseLong(id.serialize());
    }

    private static List<Long> uids(Collection<MessageUid> uids) {
        return uids.stream().map(MessageUid::asLong).toList();
    }
}
