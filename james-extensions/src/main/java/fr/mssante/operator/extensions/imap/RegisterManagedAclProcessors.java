package fr.mssante.operator.extensions.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.DeleteACLRequest;
import org.apache.james.imap.message.request.SetACLRequest;
import org.apache.james.imap.processor.DeleteACLProcessor;
import org.apache.james.imap.processor.SetACLProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import reactor.core.publisher.Mono;

/**
 * SETACL and DELETEACL (RFC 4314) refused with NO and the reason: who may open a mailbox (holders,
 * co-holders, read and send delegates) is the operator's register (docs/features/mailboxes.md), granted through
 * WebAdmin. James 3.8.1 on JPA answered SETACL OK and stored nothing (its JPA mapper keeps ACLs in memory only): a
 * client was told a mailbox was shared when it was not.
 */
public final class RegisterManagedAclProcessors {
    static final HumanReadableText REGISTER_MANAGED = new HumanReadableText("fr.mssante.operator.imap.ACL_REGISTER_MANAGED",
        "failed. Access rights are managed in the operator's mailbox register (holders, co-holders, delegates), not by IMAP ACL.");

    private RegisterManagedAclProcessors() {
    }

    /** SETACL: NO. */
    public static class Set extends SetACLProcessor {
        @Inject
        public Set(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
            super(mailboxManager, factory, metricFactory);
        }

        @Override
        protected Mono<Void> processRequestReactive(SetACLRequest request, ImapSession session, Responder responder) {
            no(request, responder, REGISTER_MANAGED);
            return Mono.empty();
        }
    }

    /** DELETEACL: NO. */
    public static class Delete extends DeleteACLProcessor {
        @Inject
        public Delete(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
            super(mailboxManager, factory, metricFactory);
        }

        @Override
        protected Mono<Void> processRequestReactive(DeleteACLRequest request, ImapSession session, Responder responder) {
            no(request, responder, REGISTER_MANAGED);
            return Mono.empty();
        }
    }
}
