package fr.mssante.operator.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.jpa.JPAId;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.UidValidity;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.MessageMapperFactory;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.imap.RequestCancellation;
import fr.mssante.operator.extensions.imap.SearchLimits;

/** Issue 12/13: a search stops on its time budget and when its client has gone, whatever the mailbox holds. */
class BoundedMessageSearchIndexTest {
    private static final Username USER = Username.of("bruno@demo.mss.test");
    private static final MailboxSession SESSION = new MailboxSession(MailboxSession.SessionId.of(1), USER, Optional.of(USER),
        List.of(), '.', MailboxSession.SessionType.User);
    private static final Mailbox MAILBOX = new Mailbox(MailboxPath.inbox(USER), UidValidity.of(1), JPAId.of(1));

    /** A clock that moves one second each time it is read. */
    private static final class SteppingClock extends Clock {
        private final AtomicLong seconds = new AtomicLong();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusSeconds(seconds.getAndIncrement());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, java.lang.reflect.InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    /** A mailbox that never ends, counting the messages read. */
    private static MessageMapperFactory endlessMailbox(AtomicInteger read) {
        MailboxMessage message = stub(MailboxMessage.class, (proxy, method, args) -> null);
        Iterator<MailboxMessage> endless = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public MailboxMessage next() {
                read.incrementAndGet();
                return message;
            }
        };
        MessageMapper mapper = stub(MessageMapper.class, (proxy, method, args) ->
            method.getName().equals("findInMailbox") ? endless : null);
        return session -> mapper;
    }

    private static BoundedMessageSearchIndex index(AtomicInteger read, RequestCancellation cancellation) {
        return new BoundedMessageSearchIndex(endlessMailbox(read), null, null, null, cancellation,
            new SearchLimits(Duration.ofSeconds(30), 1), new SteppingClock());
    }

    @Test
    void aSearchStopsOnItsTimeBudget() {
        AtomicInteger read = new AtomicInteger();
        BoundedMessageSearchIndex index = index(read, new RequestCancellation());

        assertThatThrownBy(() -> index.search(SESSION, MAILBOX, SearchQuery.of(SearchQuery.all())).collectList().block())
            .isInstanceOf(BoundedMessageSearchIndex.SearchStoppedException.class)
            .hasMessageContaining("longer than PT30S");
        assertThat(read.get()).isBetween(25, 31);
        assertThat(index.stopped()).isEqualTo(1);
        assertThat(index.running()).isZero();
    }

    @Test
    void aSearchOfAClientThatHasGoneStopsAtOnce() {
        AtomicInteger read = new AtomicInteger();
        RequestCancellation cancellation = new RequestCancellation();
        cancellation.cancel(SESSION);
        BoundedMessageSearchIndex index = index(read, cancellation);

        assertThatThrownBy(() -> index.search(SESSION, MAILBOX, SearchQuery.of(SearchQuery.all())).collectList().block())
            .isInstanceOf(BoundedMessageSearchIndex.SearchStoppedException.class)
            .hasMessageContaining("client has gone");
        assertThat(read.get()).isZero();
        assertThat(index.stopped()).isEqualTo(1);
    }

    @Test
    void fetchTypeFollowsWhatTheCriteriaRead() {
        assertThat(BoundedMessageSearchIndex.fetchType(SearchQuery.of(SearchQuery.all())))
            .isEqualTo(MessageMapper.FetchType.METADATA);
        assertThat(BoundedMessageSearchIndex.fetchType(SearchQuery.of(SearchQuery.bodyContains("x"))))
            .isEqualTo(MessageMapper.FetchType.FULL);
        assertThat(BoundedMessageSearchIndex.fetchType(SearchQuery.of(SearchQuery.headerContains("Subject", "x"))))
            .isEqualTo(MessageMapper.FetchType.HEADERS);
    }
}
