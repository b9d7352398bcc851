package fr.mssante.operator.extensions.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.LogoutRequest;
import org.apache.james.imap.processor.LogoutProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import reactor.core.publisher.Mono;

/**
 * LOGOUT that writes its {@code * BYE} and tagged OK (RFC 3501 §6.1.3) before the session enters the LOGOUT state.
 * James 3.8.1 logs the session out first (deselecting the mailbox, on another thread) and only then responds, but
 * James's channel handling closes a connection as soon as it sees a session in the LOGOUT state: with a mailbox
 * selected, the close regularly overtook the responses and the client got neither BYE nor OK.
 */
public class ByeFirstLogoutProcessor extends LogoutProcessor {
    @Inject
    public ByeFirstLogoutProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(LogoutRequest request, ImapSession session, Responder responder) {
        return Mono.fromRunnable(() -> {
            bye(responder);
            okComplete(request, responder);
            responder.flush();
        }).then(session.logout());
    }
}
