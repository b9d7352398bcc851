package fr.mssante.operator.server.search;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.mailbox.MailboxManager.MessageCapabilities;
import org.apache.james.mailbox.MailboxManager.SearchCapabilities;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import fr.mssante.operator.extensions.imap.RequestCancellation;
import fr.mssante.operator.extensions.imap.SearchLimits;
import fr.mssante.operator.server.search.MessageTextIndex.Scope;
import fr.mssante.operator.server.wiring.BoundedMessageSearchIndex;
import fr.mssante.operator.server.wiring.BoundedMessageSearchIndex.SearchStoppedException;

/**
 * IMAP SEARCH with {@code BODY}/{@code TEXT} answered from {@link MessageTextIndex} (ADR 0011); every other
 * criterion is evaluated as before by the bounded scan ({@link BoundedMessageSearchIndex}, ADR 0002).
 *
 * <p>Each {@code BODY}/{@code TEXT} criterion becomes the set of matching UIDs: the indexed messages that match (one
 * trigram-indexed {@code LIKE}) plus the stored messages not indexed yet (a crash between a message's commit and its
 * indexing, or an append running now), which are read, indexed and tested here. The query is then rewritten with
 * those UID sets; if nothing else is left (the usual {@code SEARCH TEXT word}) the answer is computed from the UID
 * list of the mailbox, otherwise the rewritten query goes to the scan, which now only reads metadata or headers.
 * Results are always taken among the messages James's table holds now, so an index row left by an interrupted
 * expunge is never returned.
 */
@Singleton
public class IndexedMessageSearchIndex implements MessageSearchIndex {
    private final BoundedMessageSearchIndex scan;
    private final MessageTextIndex index;
    private final RequestCancellation cancellation;
    private final SearchLimits limits;
    private final Clock clock;
    private final AtomicLong indexedSearches = new AtomicLong();
    private final AtomicLong scannedUnindexed = new AtomicLong();

    @Inject
    public IndexedMessageSearchIndex(BoundedMessageSearchIndex scan, MessageTextIndex index,
                                     RequestCancellation cancellation, SearchLimits limits, Clock clock) {
        this.scan = scan;
        this.index = index;
        this.cancellation = cancellation;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public EnumSet<SearchCapabilities> getSupportedCapabilities(EnumSet<MessageCapabilities> messageCapabilities) {
        return scan.getSupportedCapabilities(messageCapabilities);
    }

    @Override
    public Flux<MessageUid> search(MailboxSession session, Mailbox mailbox, SearchQuery query) {
        if (!limits.textIndex() || !usesIndexedText(query.getCriteria())) {
            return scan.search(session, mailbox, query);
        }
        return Mono.fromCallable(() -> indexedSearch(session, mailbox, query))
            .subscribeOn(Schedulers.boundedElastic())
            .flatMapMany(result -> result.uids() != null ? Flux.fromIterable(result.uids()) : scanRewritten(session, mailbox, result.rewritten()));
    }

    private Flux<MessageUid> scanRewritten(MailboxSession session, Mailbox mailbox, SearchQuery rewritten) {
        return scan.search(session, mailbox, rewritten);
    }

    @Override
    public Flux<MessageId> search(MailboxSession session, Collection<MailboxId> mailboxIds, SearchQuery query, long limit) {
        // multi-mailbox search is JMAP's, not IMAP's: the scan
        return scan.search(session, mailboxIds, query, limit);
    }

    /** Searches answered with the index so far. */
    public long indexedSearches() {
        return indexedSearches.get();
    }

    /** Messages searched without an index row so far (found by the scan of un-indexed messages). */
    public long scannedUnindexed() {
        return scannedUnindexed.get();
    }

    /** Either the answer ({@code uids}) or the query to hand to the scan. */
    private record Outcome(List<MessageUid> uids, SearchQuery rewritten) {
    }

    private Outcome indexedSearch(MailboxSession session, Mailbox mailbox, SearchQuery query) throws SQLException {
        Instant deadline = clock.instant().plus(limits.timeout());
        long mailboxId = MessageTextIndexer.rawId(mailbox.getMailboxId());
        TreeMap<Long, Boolean> messages = index.messages(mailboxId, limits.timeout());
        Evaluation evaluation = new Evaluation(session, mailboxId, messages, deadline);
        List<SearchQuery.Criterion> rewritten = new ArrayList<>();
        for (SearchQuery.Criterion criterion : query.getCriteria()) {
            rewritten.add(evaluation.rewrite(criterion));
        }
        indexedSearches.incrementAndGet();
        if (rewritten.stream().allMatch(IndexedMessageSearchIndex::uidsOnly) && sortedByUid(query.getSorts())) {
            List<MessageUid> uids = new ArrayList<>();
            for (Long uid : messages.keySet()) {
                if (rewritten.stream().allMatch(criterion -> matches(criterion, uid, evaluation.sets))) {
                    uids.add(MessageUid.of(uid));
                }
            }
            if (!query.getSorts().isEmpty() && query.getSorts().get(0).isReverse()) {
                Collections.reverse(uids);
            }
            return new Outcome(uids, null);
        }
        return new Outcome(null, SearchQuery.builder()
            .andCriteria(rewritten)
            .sorts(query.getSorts())
            .addRecentMessageUids(query.getRecentMessageUids())
            .build());
    }

    /** Evaluates the text criteria of one search, reading each un-indexed message at most once. */
    private final class Evaluation {
        private final MailboxSession session;
        private final long mailboxId;
        private final TreeMap<Long, Boolean> messages;
        private final Instant deadline;
        private Map<Long, SearchableText> unindexed;
        /** The UID set behind each criterion this evaluation made (membership without walking ranges). */
        final Map<SearchQuery.Criterion, TreeSet<Long>> sets = new IdentityHashMap<>();

        Evaluation(MailboxSession session, long mailboxId, TreeMap<Long, Boolean> messages, Instant deadline) {
            this.session = session;
            this.mailboxId = mailboxId;
            this.messages = messages;
            this.deadline = deadline;
        }

        SearchQuery.Criterion rewrite(SearchQuery.Criterion criterion) throws SQLException {
            if (criterion instanceof SearchQuery.ConjunctionCriterion conjunction) {
                List<SearchQuery.Criterion> inner = new ArrayList<>();
                for (SearchQuery.Criterion each : conjunction.getCriteria()) {
                    inner.add(rewrite(each));
                }
                return new SearchQuery.ConjunctionCriterion(conjunction.getType(), inner);
            }
            Scope scope = indexedScope(criterion);
            if (scope == null) {
                return criterion;
            }
            String term = ((SearchQuery.TextCriterion) criterion).getOperator().getValue();
            TreeSet<Long> uids = index.matching(mailboxId, scope, term, remaining());
            uids.retainAll(messages.keySet());
            String folded = SearchableText.fold(term);
            unindexed().forEach((uid, text) -> {
                if (scope.matches(text, folded)) {
                    uids.add(uid);
                }
            });
            SearchQuery.Criterion uidCriterion = uidCriterion(uids);
            sets.put(uidCriterion, uids);
            return uidCriterion;
        }

        private Map<Long, SearchableText> unindexed() throws SQLException {
            if (unindexed == null) {
                List<Long> missing = new ArrayList<>();
                messages.forEach((uid, indexed) -> {
                    if (!indexed) {
                        missing.add(uid);
                    }
                });
                unindexed = new HashMap<>();
                for (int from = 0; from < missing.size(); from += 100) {
                    checkStillWanted();
                    unindexed.putAll(index.indexFromStore(mailboxId, missing.subList(from, Math.min(missing.size(), from + 100))));
                }
                scannedUnindexed.addAndGet(missing.size());
            }
            return unindexed;
        }

        private Duration remaining() {
            checkStillWanted();
            return Duration.between(clock.instant(), deadline);
        }

        private void checkStillWanted() {
            if (cancellation.isCancelled(session)) {
                throw new SearchStoppedException("the client has gone");
            }
            if (clock.instant().isAfter(deadline)) {
                throw new SearchStoppedException("search took longer than " + limits.timeout());
            }
        }
    }

    private static Scope indexedScope(SearchQuery.Criterion criterion) {
        if (criterion instanceof SearchQuery.TextCriterion text) {
            return switch (text.getType()) {
                case BODY -> Scope.BODY;
                case FULL -> Scope.TEXT; // IMAP TEXT (James 3.8.1 names it FULL)
                default -> null;
            };
        }
        return null;
    }

    static boolean usesIndexedText(List<SearchQuery.Criterion> criteria) {
        for (SearchQuery.Criterion criterion : criteria) {
            if (indexedScope(criterion) != null) {
                return true;
            }
            if (criterion instanceof SearchQuery.ConjunctionCriterion conjunction && usesIndexedText(conjunction.getCriteria())) {
                return true;
            }
        }
        return false;
    }

    /** A criterion on UIDs as compact ranges (an empty set matches nothing). */
    static SearchQuery.Criterion uidCriterion(TreeSet<Long> uids) {
        List<SearchQuery.UidRange> ranges = new ArrayList<>();
        Long low = null;
        Long high = null;
        for (Long uid : uids) {
            if (high != null && uid == high + 1) {
                high = uid;
                continue;
            }
            if (low != null) {
                ranges.add(new SearchQuery.UidRange(MessageUid.of(low), MessageUid.of(high)));
            }
            low = uid;
            high = uid;
        }
        if (low != null) {
            ranges.add(new SearchQuery.UidRange(MessageUid.of(low), MessageUid.of(high)));
        }
        return new SearchQuery.UidCriterion(ranges.toArray(SearchQuery.UidRange[]::new));
    }

    private static boolean uidsOnly(SearchQuery.Criterion criterion) {
        if (criterion instanceof SearchQuery.ConjunctionCriterion conjunction) {
            return conjunction.getCriteria().stream().allMatch(IndexedMessageSearchIndex::uidsOnly);
        }
        return criterion instanceof SearchQuery.UidCriterion || criterion instanceof SearchQuery.AllCriterion;
    }

    private static boolean sortedByUid(List<SearchQuery.Sort> sorts) {
        return sorts.isEmpty() || (sorts.size() == 1 && sorts.get(0).getSortClause() == SearchQuery.Sort.SortClause.Uid);
    }

    private static boolean matches(SearchQuery.Criterion criterion, long uid, Map<SearchQuery.Criterion, TreeSet<Long>> sets) {
        if (criterion instanceof SearchQuery.AllCriterion) {
            return true;
        }
        TreeSet<Long> set = sets.get(criterion);
        if (set != null) {
            return set.contains(uid);
        }
        if (criterion instanceof SearchQuery.UidCriterion uids) {
            MessageUid messageUid = MessageUid.of(uid);
            for (SearchQuery.UidRange range : uids.getOperator().getRange()) {
                if (range.isIn(messageUid)) {
                    return true;
                }
            }
            return false;
        }
        SearchQuery.ConjunctionCriterion conjunction = (SearchQuery.ConjunctionCriterion) criterion;
        return switch (conjunction.getType()) {
            case AND -> conjunction.getCriteria().stream().allMatch(inner -> matches(inner, uid, sets));
            case OR -> conjunction.getCriteria().stream().anyMatch(inner -> matches(inner, uid, sets));
            case NOR -> conjunction.getCriteria().stream().noneMatch(inner -> matches(inner, uid, sets));
        };
    }
}
