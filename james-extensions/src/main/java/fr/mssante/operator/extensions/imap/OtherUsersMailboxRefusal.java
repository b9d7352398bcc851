package fr.mssante.operator.extensions.imap;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.main.DeniedAccessOnSharedMailboxException;
import org.apache.james.imap.main.PathConverter;
import org.apache.james.imap.message.request.AbstractMailboxSelectionRequest;
import org.apache.james.imap.message.request.AbstractMessageRangeRequest;
import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imap.message.request.CreateRequest;
import org.apache.james.imap.message.request.DeleteACLRequest;
import org.apache.james.imap.message.request.DeleteRequest;
import org.apache.james.imap.message.request.GetACLRequest;
import org.apache.james.imap.message.request.GetMetadataRequest;
import org.apache.james.imap.message.request.GetQuotaRootRequest;
import org.apache.james.imap.message.request.ListRequest;
import org.apache.james.imap.message.request.ListRightsRequest;
import org.apache.james.imap.message.request.LsubRequest;
import org.apache.james.imap.message.request.MyRightsRequest;
import org.apache.james.imap.message.request.RenameRequest;
import org.apache.james.imap.message.request.ReplaceRequest;
import org.apache.james.imap.message.request.SetACLRequest;
import org.apache.james.imap.message.request.SetMetadataRequest;
import org.apache.james.imap.message.request.StatusRequest;
import org.apache.james.imap.message.request.SubscribeRequest;
import org.apache.james.imap.message.request.UnsubscribeRequest;
import reactor.core.publisher.Mono;

import fr.mssante.operator.extensions.authentication.ReadOnlyDelegateGuard;

/**
 * Refuses, with one tagged NO, every command that names a mailbox outside the session's own namespace: James's
 * other-users notation {@code #user.<address>.<mailbox>} or any other {@code #namespace} but {@code #private}.
 *
 * <p>James 3.8.1 has no shared namespace here (a delegate or co-holder opens the other mailbox by logging in to it,
 * see ADR 0006): its {@link PathConverter} throws {@link DeniedAccessOnSharedMailboxException} for such a name, but
 * most processors (SELECT, EXAMINE, STATUS, APPEND, COPY, MOVE, DELETE, SUBSCRIBE, the ACL, quota-root and metadata
 * commands, LIST with such a reference) call it before their error handling is in place, so the exception left the
 * request unanswered and the connection stuck (RFC 3501/9051: every command ends with a tagged response). Here the
 * names are checked first, with James's own converter, and refused with James's own wording; the answer depends on
 * the namespace only, so it says nothing of whether the other mailbox exists (RFC 4314 §4). Each refusal is audited
 * ({@value #REFUSED_EVENT}). A LIST or LSUB pattern into another namespace is left to James (it lists nothing there);
 * its reference is checked.
 */
public class OtherUsersMailboxRefusal implements ImapProcessor {
    /** Audit event of a refused command naming another user's mailbox. */
    public static final String REFUSED_EVENT = "IMAP_OTHER_USER_MAILBOX_REFUSED";
    private static final int AUDITED_NAME_LENGTH = 200;

    private final ImapProcessor next;
    private final StatusResponseFactory responses;
    private final ImapAudit audit;

    @Inject
    public OtherUsersMailboxRefusal(ReadOnlyDelegateGuard next, StatusResponseFactory responses, ImapAudit audit) {
        this((ImapProcessor) next, responses, audit);
    }

    OtherUsersMailboxRefusal(ImapProcessor next, StatusResponseFactory responses, ImapAudit audit) {
        this.next = next;
        this.responses = responses;
        this.audit = audit;
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (message instanceof ImapRequest request && session.getMailboxSession() != null) {
            Optional<String> foreign = namedMailboxes(request).filter(name -> outsideOwnNamespace(name, session)).findFirst();
            if (foreign.isPresent()) {
                responder.respond(responses.taggedNo(request.getTag(), request.getCommand(), HumanReadableText.DENIED_SHARED_MAILBOX));
                responder.flush();
                audit.record(session, REFUSED_EVENT, truncated(foreign.get()), 0, request.getCommand().getName());
                return Mono.empty();
            }
        }
        return next.processReactive(message, responder, session);
    }

    @Override
    public void process(ImapMessage message, Responder responder, ImapSession session) {
        processReactive(message, responder, session).block();
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        next.configure(imapConfiguration);
    }

    /** The mailbox names a request carries (every James 3.8.1 request type that names one). */
    static Stream<String> namedMailboxes(ImapRequest request) {
        List<String> names;
        if (request instanceof AbstractMailboxSelectionRequest select) {
            names = List.of(select.getMailboxName());
        } else if (request instanceof AbstractMessageRangeRequest copyOrMove) {
            names = List.of(copyOrMove.getMailboxName());
        } else if (request instanceof ReplaceRequest replace) {
            names = List.of(replace.getMailboxName());
        } else if (request instanceof AppendRequest append) {
            names = List.of(append.getMailboxName());
        } else if (request instanceof StatusRequest status) {
            names = List.of(status.getMailboxName());
        } else if (request instanceof CreateRequest create) {
            names = List.of(create.getMailboxName());
        } else if (request instanceof DeleteRequest delete) {
            names = List.of(delete.getMailboxName());
        } else if (request instanceof RenameRequest rename) {
            names = List.of(rename.getExistingName(), rename.getNewName());
        } else if (request instanceof SubscribeRequest subscribe) {
            names = List.of(subscribe.getMailboxName());
        } else if (request instanceof UnsubscribeRequest unsubscribe) {
            names = List.of(unsubscribe.getMailboxName());
        } else if (request instanceof GetACLRequest getAcl) {
            names = List.of(getAcl.getMailboxName());
        } else if (request instanceof SetACLRequest setAcl) {
            names = List.of(setAcl.getMailboxName());
        } else if (request instanceof DeleteACLRequest deleteAcl) {
            names = List.of(deleteAcl.getMailboxName());
        } else if (request instanceof MyRightsRequest myRights) {
            names = List.of(myRights.getMailboxName());
        } else if (request instanceof ListRightsRequest listRights) {
            names = List.of(listRights.getMailboxName());
        } else if (request instanceof GetQuotaRootRequest quotaRoot) {
            names = List.of(quotaRoot.getMailboxName());
        } else if (request instanceof GetMetadataRequest getMetadata) {
            names = List.of(getMetadata.getMailboxName());
        } else if (request instanceof SetMetadataRequest setMetadata) {
            names = List.of(setMetadata.getMailboxName());
        } else if (request instanceof ListRequest list) {
            names = List.of(list.getBaseReferenceName());
        } else if (request instanceof LsubRequest lsub) {
            names = List.of(lsub.getBaseReferenceName());
        } else {
            names = List.of();
        }
        return names.stream().filter(name -> name != null && !name.isEmpty());
    }

    /** Does James's own path converter refuse this name as another user's (or another namespace's)? */
    static boolean outsideOwnNamespace(String name, ImapSession session) {
        if (name.charAt(0) != '#') {
            return false;
        }
        try {
            PathConverter.forSession(session).buildFullPath(name);
            return false;
        } catch (DeniedAccessOnSharedMailboxException e) {
            return true;
        }
    }

    private static String truncated(String name) {
        return name.length() <= AUDITED_NAME_LENGTH ? name : name.substring(0, AUDITED_NAME_LENGTH) + "…";
    }
}
