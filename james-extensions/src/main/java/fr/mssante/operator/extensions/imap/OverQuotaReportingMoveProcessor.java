package fr.mssante.operator.extensions.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.MoveRequest;
import org.apache.james.imap.processor.MoveProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.metrics.api.MetricFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** MOVE answering {@code NO [OVERQUOTA]} when the target's quota is exceeded (see {@link OverQuotaResponses}). */
public class OverQuotaReportingMoveProcessor extends MoveProcessor {
    @Inject
    public OverQuotaReportingMoveProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(MoveRequest request, ImapSession session, Responder responder) {
        return OverQuotaResponses.reporting(request, responder, factory(), wrapped -> super.processRequestReactive(request, session, wrapped));
    }

    @Override
    protected Flux<MessageRange> process(MailboxId target, SelectedMailbox selected, MailboxSession session, MessageRange range) {
        return OverQuotaResponses.noticing(super.process(target, selected, session, range));
    }

    private StatusResponseFactory factory() {
        return OverQuotaResponses.FACTORY;
    }
}
