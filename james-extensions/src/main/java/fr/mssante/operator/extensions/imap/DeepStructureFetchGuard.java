package fr.mssante.operator.extensions.imap;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.FetchData;
import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.FetchRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import fr.mssante.operator.extensions.mime.MimeNesting;

/**
 * FETCH BODY / BODYSTRUCTURE answers even when a message of the set nests deeper than {@code maxDepth} (one that was
 * stored before SMTP refused such messages, or by APPEND). James builds the structure recursively: on a message of
 * 2,000 nested multiparts it overflowed the stack and the FETCH never answered, nor did any later command of the
 * session. Such messages are left out of the structure FETCH (their BODY[] can still be fetched) with an untagged
 * {@code NO [LIMIT]} naming them; the others are answered as usual. Depths are read as streams ({@link MimeNesting})
 * and remembered per message (messages never change).
 */
public class DeepStructureFetchGuard implements ImapProcessor {
    private static final Logger LOGGER = LoggerFactory.getLogger(DeepStructureFetchGuard.class);
    private static final StatusResponseFactory RESPONSES = new UnpooledStatusResponseFactory();

    private final ImapProcessor delegate;
    private final Cache<String, Boolean> tooDeep = CacheBuilder.newBuilder().maximumSize(200_000).build();
    private volatile int maxDepth = 32;

    public DeepStructureFetchGuard(ImapProcessor delegate) {
        this.delegate = delegate;
    }

    public void maxDepth(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        delegate.configure(imapConfiguration);
    }

    @Override
    public void process(ImapMessage message, Responder responder, ImapSession session) {
        processReactive(message, responder, session).block();
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (!(message instanceof FetchRequest request) || !needsStructure(request.getFetch()) || session.getSelected() == null
            || session.getMailboxSession() == null) {
            return delegate.processReactive(message, responder, session);
        }
        return Mono.fromCallable(() -> split(request, session))
            .subscribeOn(Schedulers.boundedElastic())
            .onErrorResume(MailboxException.class, e -> Mono.just(new Split(List.of(), List.of()))) // James answers
            .flatMap(split -> {
                if (split.deep().isEmpty()) {
                    return delegate.processReactive(request, responder, session);
                }
                LOGGER.info("FETCH of the structure of {} message(s) nested deeper than {} left out", split.deep().size(), maxDepth);
                responder.respond(RESPONSES.untaggedNo(new HumanReadableText("fr.mssante.operator.STRUCTURE_TOO_DEEP",
                    "[LIMIT] Structure nested too deeply to describe (more than " + maxDepth + " levels) for UID "
                        + String.join(",", split.deep().stream().map(uid -> Long.toString(uid)).toList())
                        + "; fetch BODY[] instead")));
                if (split.shallow().isEmpty()) {
                    responder.respond(RESPONSES.taggedNo(request.getTag(), request.getCommand(),
                        new HumanReadableText("fr.mssante.operator.STRUCTURE_TOO_DEEP", "Structure nested too deeply to describe")));
                    responder.flush();
                    return Mono.empty();
                }
                return delegate.processReactive(new FetchRequest(true, ranges(split.shallow()), request.getFetch(), request.getTag()),
                    responder, session);
            });
    }

    private static boolean needsStructure(FetchData fetch) {
        return fetch.contains(FetchData.Item.BODY) || fetch.contains(FetchData.Item.BODY_STRUCTURE);
    }

    private record Split(List<Long> shallow, List<Long> deep) {
    }

    private Split split(FetchRequest request, ImapSession session) throws MailboxException, IOException {
        SelectedMailbox selected = session.getSelected();
        List<Long> shallow = new ArrayList<>();
        List<Long> deep = new ArrayList<>();
        String mailbox = selected.getMailboxId().serialize();
        for (IdRange range : request.getIdSet()) {
            MessageRange uids = request.isUseUids() ? uidRange(range) : msnRange(range, selected);
            if (uids == null) {
                continue;
            }
            MessageResultIterator messages = selected.getMessageManager().getMessages(uids, FetchGroup.FULL_CONTENT,
                session.getMailboxSession());
            while (messages.hasNext()) {
                MessageResult result = messages.next();
                long uid = result.getUid().asLong();
                Boolean isDeep = tooDeep.getIfPresent(mailbox + ":" + uid);
                if (isDeep == null) {
                    try (InputStream content = result.getFullContent().getInputStream()) {
                        isDeep = MimeNesting.depth(content, maxDepth) > maxDepth;
                    }
                    tooDeep.put(mailbox + ":" + uid, isDeep);
                }
                (isDeep ? deep : shallow).add(uid);
            }
        }
        return new Split(shallow, deep);
    }

    private static MessageRange uidRange(IdRange range) {
        if (range.getHighVal() == Long.MAX_VALUE) {
            return MessageRange.from(MessageUid.of(Math.max(1, range.getLowVal())));
        }
        return MessageRange.range(MessageUid.of(Math.max(1, range.getLowVal())), MessageUid.of(range.getHighVal()));
    }

    private static MessageRange msnRange(IdRange range, SelectedMailbox selected) {
        long exists = selected.existsCount();
        long low = Math.max(1, range.getLowVal());
        long high = Math.min(range.getHighVal(), exists);
        if (low > high) {
            return null;
        }
        return selected.uid((int) low).flatMap(first -> selected.uid((int) high).map(last -> MessageRange.range(first, last)))
            .orElse(null);
    }

    /** Consecutive UIDs as ranges. */
    static IdRange[] ranges(List<Long> uids) {
        List<IdRange> ranges = new ArrayList<>();
        long start = -1;
        long previous = -1;
        for (long uid : new TreeSet<>(uids)) {
            if (start < 0) {
                start = uid;
            } else if (uid != previous + 1) {
                ranges.add(new IdRange(start, previous));
                start = uid;
            }
            previous = uid;
        }
        if (start >= 0) {
            ranges.add(new IdRange(start, previous));
        }
        return ranges.toArray(new IdRange[0]);
    }
}
