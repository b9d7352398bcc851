package fr.mssante.operator.extensions.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.main.PathConverter;
import org.apache.james.imap.message.request.DeleteRequest;
import org.apache.james.imap.processor.DeleteProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.metrics.api.MetricFactory;
import reactor.core.publisher.Mono;

/**
 * DELETE that refuses INBOX (RFC 3501 §6.3.4: "It is an error to attempt to delete INBOX"; RFC 9051 §6.3.4 likewise).
 * James 3.8.1 deletes it, with its messages (fixed upstream by JAMES-4095 after 3.8.1).
 */
public class InboxKeepingDeleteProcessor extends DeleteProcessor {
    static final HumanReadableText DELETING_INBOX_FORBIDDEN = new HumanReadableText(
        "org.apache.james.imap.DELETE_INBOX_FORBIDDEN", "failed. Deleting INBOX is forbidden.");

    @Inject
    public InboxKeepingDeleteProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(DeleteRequest request, ImapSession session, Responder responder) {
        if (isInbox(session, request.getMailboxName())) {
            no(request, responder, DELETING_INBOX_FORBIDDEN);
            return Mono.empty();
        }
        return super.processRequestReactive(request, session, responder);
    }

    /** Does this name denote the session user's own INBOX (any case, any namespace prefix)? */
    static boolean isInbox(ImapSession session, String name) {
        try {
            MailboxPath path = PathConverter.forSession(session).buildFullPath(name);
            return path.getUser().equals(session.getMailboxSession().getUser())
                && path.getName().equalsIgnoreCase(MailboxConstants.INBOX);
        } catch (RuntimeException e) {
            return false; // not a valid name: James answers
        }
    }
}
