package fr.mssante.operator.server.wiring;

import static org.apache.james.mailbox.store.mail.AbstractMessageMapper.UNLIMITED;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.mailbox.AttachmentContentLoader;
import org.apache.james.mailbox.MailboxManager.MessageCapabilities;
import org.apache.james.mailbox.MailboxManager.SearchCapabilities;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.extractor.TextExtractor;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.mail.MailboxMapperFactory;
import org.apache.james.mailbox.store.mail.MessageMapper.FetchType;
import org.apache.james.mailbox.store.mail.MessageMapperFactory;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.james.mailbox.store.search.MessageSearches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import fr.mssante.operator.extensions.imap.RequestCancellation;
import fr.mssante.operator.extensions.imap.SearchLimits;

/**
 * Search by scanning the messages in PostgreSQL (ADR 0002), bounded: James's matcher ({@link MessageSearches}) is fed
 * one message at a time through an iterator that stops the search when its IMAP client has gone
 * ({@link RequestCancellation}) or when it has run longer than {@link SearchLimits#timeout()}; searches that read
 * message contents take one of {@link SearchLimits#concurrentContentSearches()} permits, so that a few clients cannot
 * occupy every thread and the database. A stopped search fails (the client gets NO) and leaves nothing running.
 */
@Singleton
public class BoundedMessageSearchIndex implements MessageSearchIndex {
    private static final Logger LOGGER = LoggerFactory.getLogger(BoundedMessageSearchIndex.class);

    /** Thrown out of the scan to stop it. */
    public static final class SearchStoppedException extends RuntimeException {
        public SearchStoppedException(String message) {
            super(message, null, false, false);
        }
    }

    private final MessageMapperFactory messageMapperFactory;
    private final MailboxMapperFactory mailboxMapperFactory;
    private final TextExtractor textExtractor;
    private final AttachmentContentLoader attachmentContentLoader;
    private final RequestCancellation cancellation;
    private final SearchLimits limits;
    private final Clock clock;
    private final Semaphore contentSearches;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong stopped = new AtomicLong();

    @Inject
    public BoundedMessageSearchIndex(MessageMapperFactory messageMapperFactory, MailboxMapperFactory mailboxMapperFactory,
                                     TextExtractor textExtractor, AttachmentContentLoader attachmentContentLoader,
                                     RequestCancellation cancellation, SearchLimits limits, Clock clock) {
        this.messageMapperFactory = messageMapperFactory;
        this.mailboxMapperFactory = mailboxMapperFactory;
        this.textExtractor = textExtractor;
        this.attachmentContentLoader = attachmentContentLoader;
        this.cancellation = cancellation;
        this.limits = limits;
        this.clock = clock;
        this.contentSearches = new Semaphore(limits.concurrentContentSearches(), true);
    }

    @Override
    public EnumSet<SearchCapabilities> getSupportedCapabilities(EnumSet<MessageCapabilities> messageCapabilities) {
        return EnumSet.of(SearchCapabilities.MultimailboxSearch, SearchCapabilities.Text, SearchCapabilities.Attachment,
            SearchCapabilities.PartialEmailMatch, SearchCapabilities.AttachmentFileName);
    }

    @Override
    public Flux<MessageUid> search(MailboxSession session, Mailbox mailbox, SearchQuery query) {
        return Mono.fromCallable(() -> scan(session, mailbox, query))
            .subscribeOn(Schedulers.boundedElastic())
            .flatMapMany(Flux::fromIterable)
            .map(MailboxMessageHit::uid);
    }

    @Override
    public Flux<MessageId> search(MailboxSession session, Collection<MailboxId> mailboxIds, SearchQuery query, long limit) {
        return Flux.fromIterable(mailboxIds)
            .concatMap(id -> Mono.fromCallable(() -> mailboxMapperFactory.getMailboxMapper(session))
                .flatMap(mapper -> mapper.findMailboxById(id)))
            .concatMap(mailbox -> Mono.fromCallable(() -> scan(session, mailbox, query))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(Flux::fromIterable))
            .map(MailboxMessageHit::messageId)
            .distinct()
            .take(limit);
    }

    /** Searches now running. */
    public int running() {
        return running.get();
    }

    /** Searches stopped so far (client gone or time budget spent). */
    public long stopped() {
        return stopped.get();
    }

    private record MailboxMessageHit(MessageUid uid, MessageId messageId) {
    }

    private List<MailboxMessageHit> scan(MailboxSession session, Mailbox mailbox, SearchQuery query) throws MailboxException, InterruptedException {
        FetchType fetchType = fetchType(query);
        boolean readsContent = fetchType != FetchType.METADATA;
        Instant deadline = clock.instant().plus(limits.timeout());
        if (readsContent && !contentSearches.tryAcquire(limits.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            stopped.incrementAndGet();
            throw new SearchStoppedException("too many searches running; try again later");
        }
        running.incrementAndGet();
        try {
            Iterator<MailboxMessage> messages = messageMapperFactory.getMessageMapper(session)
                .findInMailbox(mailbox, MessageRange.all(), fetchType, UNLIMITED);
            Iterator<SearchResult> results = new MessageSearches(guarded(messages, session, deadline), query, textExtractor,
                attachmentContentLoader, session).iterator();
            List<MailboxMessageHit> hits = new ArrayList<>();
            results.forEachRemaining(result -> hits.add(new MailboxMessageHit(result.getMessageUid(),
                result.getMessageId().orElse(null))));
            return hits;
        } finally {
            running.decrementAndGet();
            if (readsContent) {
                contentSearches.release();
            }
        }
    }

    private Iterator<MailboxMessage> guarded(Iterator<MailboxMessage> messages, MailboxSession session, Instant deadline) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (cancellation.isCancelled(session)) {
                    stopped.incrementAndGet();
                    LOGGER.debug("Search stopped: its IMAP client has gone");
                    throw new SearchStoppedException("the client has gone");
                }
                if (clock.instant().isAfter(deadline)) {
                    stopped.incrementAndGet();
                    LOGGER.info("Search stopped after {}", limits.timeout());
                    throw new SearchStoppedException("search took longer than " + limits.timeout());
                }
                return messages.hasNext();
            }

            @Override
            public MailboxMessage next() {
                return messages.next();
            }
        };
    }

    /** What the criteria and sorts need of each message. */
    static FetchType fetchType(SearchQuery query) {
        FetchType type = FetchType.METADATA;
        for (SearchQuery.Criterion criterion : query.getCriteria()) {
            type = max(type, fetchType(criterion));
        }
        for (SearchQuery.Sort sort : query.getSorts()) {
            switch (sort.getSortClause()) {
                case MailboxCc, MailboxFrom, MailboxTo, BaseSubject, SentDate -> type = max(type, FetchType.HEADERS);
                default -> {
                }
            }
        }
        return type;
    }

    private static FetchType fetchType(SearchQuery.Criterion criterion) {
        if (criterion instanceof SearchQuery.ConjunctionCriterion conjunction) {
            FetchType type = FetchType.METADATA;
            for (SearchQuery.Criterion inner : conjunction.getCriteria()) {
                type = max(type, fetchType(inner));
            }
            return type;
        }
        if (criterion instanceof SearchQuery.TextCriterion || criterion instanceof SearchQuery.AttachmentCriterion) {
            return FetchType.FULL;
        }
        if (criterion instanceof SearchQuery.HeaderCriterion || criterion instanceof SearchQuery.MimeMessageIDCriterion
            || criterion instanceof SearchQuery.SubjectCriterion) {
            return FetchType.HEADERS;
        }
        return FetchType.METADATA;
    }

    private static FetchType max(FetchType a, FetchType b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
