package fr.mssante.operator.extensions.authentication;

import java.util.Set;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imap.message.request.CopyRequest;
import org.apache.james.imap.message.request.CreateRequest;
import org.apache.james.imap.message.request.DeleteACLRequest;
import org.apache.james.imap.message.request.DeleteRequest;
import org.apache.james.imap.message.request.ExpungeRequest;
import org.apache.james.imap.message.request.MoveRequest;
import org.apache.james.imap.message.request.RenameRequest;
import org.apache.james.imap.message.request.SetACLRequest;
import org.apache.james.imap.message.request.SetMetadataRequest;
import org.apache.james.imap.message.request.SetQuotaRequest;
import org.apache.james.imap.message.request.StoreRequest;
import org.apache.james.imap.processor.DefaultProcessor;
import org.apache.james.imap.api.ImapMessage;

import reactor.core.publisher.Mono;

/**
 * A read-only delegate (DELEGATE_READ) opens the delegator's mailbox with the holder's IMAP session (James 3.8.1 has no
 * working shared namespace on JPA), so the commands that change a mailbox are refused here, before James's processors:
 * APPEND, STORE, EXPUNGE, COPY, MOVE, CREATE, DELETE, RENAME, SETACL, DELETEACL, SETMETADATA, SETQUOTA. Reading
 * (SELECT, FETCH, SEARCH...) is untouched; a FETCH of a body still sets \Seen as for any reader.
 */
public class ReadOnlyDelegateGuard implements ImapProcessor {
    /** Session attribute set by {@link AuthenticateImapSession} for DELEGATE_READ sessions. */
    public static final String READ_ONLY = "mss.delegate.readOnly";
    private static final Set<Class<?>> MUTATING = Set.of(AppendRequest.class, StoreRequest.class, ExpungeRequest.class,
        CopyRequest.class, MoveRequest.class, CreateRequest.class, DeleteRequest.class, RenameRequest.class, SetACLRequest.class,
        DeleteACLRequest.class, SetMetadataRequest.class, SetQuotaRequest.class);
    private static final HumanReadableText REFUSED = new HumanReadableText("fr.mssante.operator.READ_ONLY_DELEGATE",
        "read-only delegation: this command is not allowed");

    private final ImapProcessor delegate;
    private final StatusResponseFactory responses;

    @Inject
    public ReadOnlyDelegateGuard(DefaultProcessor delegate, StatusResponseFactory responses) {
        this.delegate = delegate;
        this.responses = responses;
    }

    @Override
    public void process(ImapMessage message, Responder responder, ImapSession session) {
        if (refused(message, responder, session)) {
            return;
        }
        delegate.process(message, responder, session);
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (refused(message, responder, session)) {
            return Mono.empty();
        }
        return delegate.processReactive(message, responder, session);
    }

    private boolean refused(ImapMessage message, Responder responder, ImapSession session) {
        if (message instanceof ImapRequest request && Boolean.TRUE.equals(session.getAttribute(READ_ONLY))
            && MUTATING.contains(request.getClass())) {
            responder.respond(responses.taggedNo(request.getTag(), request.getCommand(), REFUSED));
            responder.flush();
            return true;
        }
        return false;
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        delegate.configure(imapConfiguration);
    }
}
