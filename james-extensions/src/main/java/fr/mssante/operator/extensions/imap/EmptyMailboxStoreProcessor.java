package fr.mssante.operator.extensions.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.StoreRequest;
import org.apache.james.imap.processor.StoreProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import reactor.core.publisher.Mono;

/**
 * STORE of {@code 1:*} (or any UID set) on an empty mailbox matches nothing and answers OK, as FETCH does
 * ({@link EmptyMailboxFetchProcessor}); James 3.8.1 answers {@code BAD STORE failed. Invalid messageset.}
 */
public class EmptyMailboxStoreProcessor extends StoreProcessor {
    @Inject
    public EmptyMailboxStoreProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(StoreRequest request, ImapSession session, Responder responder) {
        if (EmptyMailboxFetchProcessor.selectsNothing(session.getSelected(), request.isUseUids(), request.getIdSet())) {
            return unsolicitedResponses(session, responder, request.isUseUids())
                .then(Mono.fromRunnable(() -> okComplete(request, responder)));
        }
        return super.processRequestReactive(request, session, responder);
    }
}
