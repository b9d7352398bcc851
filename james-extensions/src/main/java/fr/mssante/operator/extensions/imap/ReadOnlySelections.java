package fr.mssante.operator.extensions.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.FetchData;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.main.PathConverter;
import org.apache.james.imap.message.request.AppendRequest;
import org.apache.james.imap.message.request.CloseRequest;
import org.apache.james.imap.message.request.CopyRequest;
import org.apache.james.imap.message.request.DeleteRequest;
import org.apache.james.imap.message.request.ExamineRequest;
import org.apache.james.imap.message.request.ExpungeRequest;
import org.apache.james.imap.message.request.FetchRequest;
import org.apache.james.imap.message.request.MoveRequest;
import org.apache.james.imap.message.request.RenameRequest;
import org.apache.james.imap.message.request.ReplaceRequest;
import org.apache.james.imap.message.request.SelectRequest;
import org.apache.james.imap.message.request.StoreRequest;
import org.apache.james.mailbox.model.MailboxPath;
import reactor.core.publisher.Mono;

/**
 * EXAMINE as RFC 3501 §6.3.2 promises it: "the selected mailbox is identified as read-only. No changes to the
 * permanent state of the mailbox, including per-user state, are permitted." James 3.8.1 only answers
 * {@code [READ-ONLY]} and keeps {@code \Recent}; this makes the selection read-only in the session:
 * <ul>
 * <li>STORE / UID STORE, EXPUNGE / UID EXPUNGE, MOVE / UID MOVE (which expunges the source) and REPLACE (which
 *     expunges the replaced message) answer NO;</li>
 * <li>CLOSE deselects without expunging (§6.4.2: "no messages are removed, and no error is given, if the mailbox is
 *     selected by an EXAMINE command or is otherwise selected read-only");</li>
 * <li>FETCH BODY[…] / RFC822 / RFC822.TEXT behave as BODY.PEEK[…]: \Seen is not set;</li>
 * <li>in the same session, nothing goes into the examined mailbox and it is not deleted or renamed: APPEND, COPY and
 *     MOVE to it, DELETE and RENAME of it answer NO.</li>
 * </ul>
 * Commands about other mailboxes are untouched (COPY out of the examined mailbox, APPEND or COPY elsewhere). The
 * read-only state belongs to the selection that a successful EXAMINE made (a session attribute holding that
 * {@link SelectedMailbox} and its path); a later successful SELECT clears it. A read-only delegate's SELECT reaches this processor
 * as EXAMINE (see {@code ReadOnlyDelegateGuard}).
 */
public class ReadOnlySelections implements ImapProcessor {
    /** Session attribute: the {@link Selection} that EXAMINE opened. */
    static final String READ_ONLY_SELECTION = "mss.imap.readOnlySelection";

    /** A mailbox selected read-only: James's selection object and the path it was examined by. */
    record Selection(SelectedMailbox selected, MailboxPath path) {
    }

    private final ImapProcessor next;
    private final StatusResponseFactory responses;

    @Inject
    public ReadOnlySelections(AppendedMessageChecks next, StatusResponseFactory responses) {
        this.next = next;
        this.responses = responses;
    }

    /** Is the mailbox selected in this session selected read-only? */
    public static boolean isReadOnly(ImapSession session) {
        return readOnlySelection(session) != null;
    }

    private static Selection readOnlySelection(ImapSession session) {
        SelectedMailbox selected = session.getSelected();
        return selected != null && session.getAttribute(READ_ONLY_SELECTION) instanceof Selection selection
            && selection.selected() == selected ? selection : null;
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        if (message instanceof ExamineRequest || message instanceof SelectRequest) {
            ImapRequest request = (ImapRequest) message;
            String name = message instanceof ExamineRequest examine ? examine.getMailboxName() : null;
            return next.processReactive(message, new SelectionResponder(responder, request.getTag(), session,
                name == null ? null : PathConverter.forSession(session).buildFullPath(name)), session);
        }
        Selection selection = message instanceof ImapRequest ? readOnlySelection(session) : null;
        if (selection == null) {
            return next.processReactive(message, responder, session);
        }
        ImapRequest request = (ImapRequest) message;
        if (request instanceof StoreRequest || request instanceof ExpungeRequest || request instanceof MoveRequest
            || request instanceof ReplaceRequest || changesMailbox(request, selection.path(), session)) {
            responder.respond(responses.taggedNo(request.getTag(), request.getCommand(), ImapResponses.READ_ONLY_SELECTION));
            responder.flush();
            return Mono.empty();
        }
        if (request instanceof CloseRequest) {
            return session.deselect()
                .then(Mono.fromRunnable(() -> {
                    session.setAttribute(READ_ONLY_SELECTION, null);
                    responder.respond(responses.taggedOk(request.getTag(), request.getCommand(), HumanReadableText.COMPLETED));
                    responder.flush();
                }));
        }
        if (request instanceof FetchRequest fetch && fetch.getFetch().isSetSeen()) {
            return next.processReactive(new FetchRequest(fetch.isUseUids(), fetch.getIdSet(), peeking(fetch.getFetch()), fetch.getTag()),
                responder, session);
        }
        return next.processReactive(message, responder, session);
    }

    @Override
    public void process(ImapMessage message, Responder responder, ImapSession session) {
        processReactive(message, responder, session).block();
    }

    /** Does this command put messages into, delete or rename the mailbox at {@code path}? */
    private static boolean changesMailbox(ImapRequest request, MailboxPath path, ImapSession session) {
        String target;
        if (request instanceof AppendRequest append) {
            target = append.getMailboxName();
        } else if (request instanceof CopyRequest copy) {
            target = copy.getMailboxName();
        } else if (request instanceof DeleteRequest delete) {
            target = delete.getMailboxName();
        } else if (request instanceof RenameRequest rename) {
            target = rename.getExistingName();
        } else {
            return false;
        }
        try {
            return path.equals(PathConverter.forSession(session).buildFullPath(target));
        } catch (RuntimeException e) {
            return false; // not a valid name: James answers
        }
    }

    /** The same FETCH items, every body section fetched as BODY.PEEK. */
    static FetchData peeking(FetchData fetch) {
        FetchData.Builder peeking = FetchData.builder().vanished(fetch.getVanished());
        for (FetchData.Item item : FetchData.Item.values()) {
            if (fetch.contains(item)) {
                peeking.fetch(item);
            }
        }
        if (fetch.getChangedSince() != -1) {
            peeking.changedSince(fetch.getChangedSince());
        }
        fetch.getBodyElements().forEach(element -> peeking.add(element, true));
        return peeking.build();
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        next.configure(imapConfiguration);
    }

    /** Records the selection's mode when the tagged OK of SELECT / EXAMINE goes out (before the client can go on). */
    private static final class SelectionResponder implements Responder {
        private final Responder responder;
        private final Tag tag;
        private final ImapSession session;
        private final MailboxPath examined;

        /** {@code examined}: the path of an EXAMINE, null for a SELECT. */
        private SelectionResponder(Responder responder, Tag tag, ImapSession session, MailboxPath examined) {
            this.responder = responder;
            this.tag = tag;
            this.session = session;
            this.examined = examined;
        }

        @Override
        public void respond(ImapResponseMessage message) {
            if (message instanceof StatusResponse status && tag.equals(status.getTag())
                && status.getServerResponseType() == StatusResponse.Type.OK) {
                session.setAttribute(READ_ONLY_SELECTION, examined == null ? null : new Selection(session.getSelected(), examined));
            }
            responder.respond(message);
        }

        @Override
        public void flush() {
            responder.flush();
        }
    }
}
