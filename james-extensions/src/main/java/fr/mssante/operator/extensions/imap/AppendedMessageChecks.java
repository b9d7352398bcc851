package fr.mssante.operator.extensions.imap;

import java.io.Closeable;
import java.io.IOException;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.Literal;
import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imap.message.request.ReplaceRequest;
import org.apache.james.imap.processor.DefaultProcessor;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What a client may put into a mailbox by itself (IMAP APPEND, and REPLACE which appends): no message larger than the
 * one message-size limit ({@link AppendLimit}; {@code NO [TOOBIG]}, audited), and none of our {@code X-MSS-*} header
 * fields, which are server verdicts that clients trust (S/MIME status, directory facts...). Those are removed, not
 * refused: a message a client re-appends (a draft, a copy from another account, imapsync, a restore) legitimately
 * carries the verdicts we stamped when we delivered it, but we cannot vouch for them in a copy we did not check, so
 * the copy is stored without them (audited: which fields, into which mailbox). COPY and MOVE keep a stored message
 * as it is.
 */
public class AppendedMessageChecks implements ImapProcessor {
    private final ImapProcessor next;
    private final StatusResponseFactory responses;
    private final AppendLimit limit;
    private final ImapAudit audit;

    @Inject
    public AppendedMessageChecks(DefaultProcessor next, StatusResponseFactory responses, AppendLimit limit, ImapAudit audit) {
        this.next = next;
        this.responses = responses;
        this.limit = limit;
        this.audit = audit;
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (message instanceof AppendRequest || message instanceof ReplaceRequest) {
            return Mono.fromCallable(() -> checked((ImapRequest) message, responder, session))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(checked -> next.processReactive(checked, responder, session));
        }
        return next.processReactive(message, responder, session);
    }

    @Override
    public void process(ImapMessage message, Responder responder, ImapSession session) {
        processReactive(message, responder, session).block();
    }

    /** The request to process (possibly with a filtered literal), or null once refused. */
    private ImapRequest checked(ImapRequest request, Responder responder, ImapSession session) throws IOException {
        Literal literal = request instanceof AppendRequest append ? append.getMessage() : ((ReplaceRequest) request).getMessage();
        String mailbox = request instanceof AppendRequest append ? append.getMailboxName() : ((ReplaceRequest) request).getMailboxName();
        long size = literal.size();
        if (limit.exceededBy(size)) {
            ((Closeable) request).close();
            audit.record(session, ImapAudit.APPEND_REFUSED, mailbox, size,
                "TOOBIG: " + size + " bytes, limit " + limit.bytes().getAsLong() + " (" + request.getCommand().getName() + ")");
            responder.respond(responses.taggedNo(request.getTag(), request.getCommand(), ImapResponses.TOO_BIG, ImapResponses.tooBig()));
            responder.flush();
            return null;
        }
        ServerHeaderFreeLiteral.Result filtered = ServerHeaderFreeLiteral.of(literal);
        if (filtered.removed().isEmpty()) {
            return request;
        }
        audit.record(session, ImapAudit.APPEND_HEADERS_REMOVED, mailbox, size,
            request.getCommand().getName() + " without server header fields " + String.join(", ", filtered.removed()));
        if (request instanceof AppendRequest append) {
            return new AppendRequest(append.getMailboxName(), append.getFlags(), append.getDatetime(), filtered.literal(), append.getTag());
        }
        ReplaceRequest replace = (ReplaceRequest) request;
        return new ReplaceRequest(replace.getId(), replace.getMailboxName(), replace.getFlags(), replace.getDatetime(),
            filtered.literal(), replace.getTag(), replace.isUseUid());
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        limit.configure(imapConfiguration);
        next.configure(imapConfiguration);
    }
}
