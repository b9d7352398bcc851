package fr.mssante.operator.extensions.authentication;

import java.util.Set;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapConstants;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imap.message.request.CopyRequest;
import org.apache.james.imap.message.request.CreateRequest;
import org.apache.james.imap.message.request.DeleteACLRequest;
import org.apache.james.imap.message.request.DeleteRequest;
import org.apache.james.imap.message.request.ExamineRequest;
import org.apache.james.imap.message.request.ExpungeRequest;
import org.apache.james.imap.message.request.MoveRequest;
import org.apache.james.imap.message.request.RenameRequest;
import org.apache.james.imap.message.request.ReplaceRequest;
import org.apache.james.imap.message.request.SelectRequest;
import org.apache.james.imap.message.request.SetACLRequest;
import org.apache.james.imap.message.request.SetMetadataRequest;
import org.apache.james.imap.message.request.SetQuotaRequest;
import org.apache.james.imap.message.request.StoreRequest;
import org.apache.james.imap.message.request.SubscribeRequest;
import org.apache.james.imap.message.request.UnsubscribeRequest;
import reactor.core.publisher.Mono;

import fr.mssante.operator.extensions.imap.ReadOnlySelections;

/**
 * A read-only delegate (DELEGATE_READ) opens the delegator's mailbox with the holder's IMAP session (James 3.8.1 has no
 * working shared namespace on JPA), so everything that would change the holder's mailboxes or the holder's per-user
 * state is refused here, before James's processors: APPEND, STORE, EXPUNGE, COPY, MOVE, REPLACE, CREATE, DELETE,
 * RENAME, SUBSCRIBE, UNSUBSCRIBE, SETACL, DELETEACL, SETMETADATA, SETQUOTA. SELECT is served as EXAMINE (answered
 * {@code [READ-ONLY]}): the selection is then read-only ({@link ReadOnlySelections}), so CLOSE expunges nothing,
 * FETCH of a body does not set \Seen and \Recent is not cleared. Reading (EXAMINE, FETCH, SEARCH, STATUS, LIST...)
 * is untouched.
 */
public class ReadOnlyDelegateGuard implements ImapProcessor {
    /** Session attribute set by {@link AuthenticateImapSession} for DELEGATE_READ sessions. */
    public static final String READ_ONLY = "mss.delegate.readOnly";
    static final Set<Class<?>> MUTATING = Set.of(AppendRequest.class, StoreRequest.class, ExpungeRequest.class,
        CopyRequest.class, MoveRequest.class, ReplaceRequest.class, CreateRequest.class, DeleteRequest.class, RenameRequest.class,
        SubscribeRequest.class, UnsubscribeRequest.class, SetACLRequest.class, DeleteACLRequest.class, SetMetadataRequest.class,
        SetQuotaRequest.class);
    private static final HumanReadableText REFUSED = new HumanReadableText("fr.mssante.operator.READ_ONLY_DELEGATE",
        "read-only delegation: this command is not allowed");

    private final ImapProcessor delegate;
    private final StatusResponseFactory responses;

    @Inject
    public ReadOnlyDelegateGuard(ReadOnlySelections delegate, StatusResponseFactory responses) {
        this.delegate = delegate;
        this.responses = responses;
    }

    @Override
    public void process(ImapMessage message, Responder responder, ImapSession session) {
        processReactive(message, responder, session).block();
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (!(message instanceof ImapRequest request) || !Boolean.TRUE.equals(session.getAttribute(READ_ONLY))) {
            return delegate.processReactive(message, responder, session);
        }
        if (MUTATING.contains(request.getClass())) {
            responder.respond(responses.taggedNo(request.getTag(), request.getCommand(), REFUSED));
            responder.flush();
            return Mono.empty();
        }
        if (request instanceof SelectRequest select) {
            ExamineRequest examine = new ExamineRequest(select.getMailboxName(), select.getCondstore(),
                select.getLastKnownUidValidity(), select.getKnownModSeq(), select.getUidSet(), select.getKnownUidSet(),
                select.getKnownSequenceSet(), select.getTag());
            return delegate.processReactive(examine, new AnsweringAsSelect(responder, select.getTag(), responses), session);
        }
        return delegate.processReactive(message, responder, session);
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        delegate.configure(imapConfiguration);
    }

    /** The tagged reply to a SELECT served as EXAMINE names SELECT (with EXAMINE's [READ-ONLY]). */
    private static final class AnsweringAsSelect implements Responder {
        private final Responder responder;
        private final Tag tag;
        private final StatusResponseFactory responses;

        private AnsweringAsSelect(Responder responder, Tag tag, StatusResponseFactory responses) {
            this.responder = responder;
            this.tag = tag;
            this.responses = responses;
        }

        @Override
        public void respond(ImapResponseMessage message) {
            if (message instanceof StatusResponse status && tag.equals(status.getTag())
                && ImapConstants.EXAMINE_COMMAND.equals(status.getCommand())) {
                responder.respond(switch (status.getServerResponseType()) {
                    case OK -> responses.taggedOk(tag, ImapConstants.SELECT_COMMAND, status.getTextKey(), status.getResponseCode());
                    case NO -> responses.taggedNo(tag, ImapConstants.SELECT_COMMAND, status.getTextKey(), status.getResponseCode());
                    case BAD -> responses.taggedBad(tag, ImapConstants.SELECT_COMMAND, status.getTextKey(), status.getResponseCode());
                    default -> status;
                });
                return;
            }
            responder.respond(message);
        }

        @Override
        public void flush() {
            responder.flush();
        }
    }
}
