package fr.mssante.operator.extensions.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.MyRightsRequest;
import org.apache.james.imap.message.response.MyRightsResponse;
import org.apache.james.imap.processor.MyRightsProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.exception.UnsupportedRightException;
import org.apache.james.mailbox.model.MailboxACL;
import org.apache.james.metrics.api.MetricFactory;
import reactor.core.publisher.Mono;

import fr.mssante.operator.extensions.authentication.ReadOnlyDelegateGuard;

/**
 * MYRIGHTS telling a read-only delegate (the register's {@code DELEGATE_READ}, session attribute {@link ReadOnlyDelegateGuard#READ_ONLY})
 * what it may do: look up and read ({@code lr}), not the owner's rights that James derives from the mailbox's owner
 * (the session's user is the mailbox, opened with an authorisation identity). Holders, co-holders and send delegates
 * have the owner's rights. Rights themselves are the register's (SETACL/DELETEACL: {@link RegisterManagedAclProcessors}).
 */
public class DelegateAwareMyRightsProcessor extends MyRightsProcessor {
    private static final MailboxACL.Rfc4314Rights READ_ONLY_RIGHTS = readOnlyRights();

    @Inject
    public DelegateAwareMyRightsProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(MyRightsRequest request, ImapSession session, Responder responder) {
        if (!Boolean.TRUE.equals(session.getAttribute(ReadOnlyDelegateGuard.READ_ONLY))) {
            return super.processRequestReactive(request, session, responder);
        }
        return super.processRequestReactive(request, session, new Responder() {
            @Override
            public void respond(ImapResponseMessage message) {
                responder.respond(message instanceof MyRightsResponse rights
                    ? new MyRightsResponse(rights.getMailboxName(), READ_ONLY_RIGHTS) : message);
            }

            @Override
            public void flush() {
                responder.flush();
            }
        });
    }

    private static MailboxACL.Rfc4314Rights readOnlyRights() {
        try {
            return MailboxACL.Rfc4314Rights.fromSerializedRfc4314Rights("lr");
        } catch (UnsupportedRightException e) {
            throw new IllegalStateException(e);
        }
    }
}
