package fr.mssante.operator.extensions.imap;

import java.util.Arrays;

import javax.inject.Inject;

import org.apache.james.imap.api.message.IdRange;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.request.FetchRequest;
import org.apache.james.imap.processor.fetch.FetchProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import reactor.core.publisher.Mono;

/**
 * FETCH on an empty mailbox: {@code UID FETCH 1:*} (any UID set: UIDs that do not exist are ignored, RFC 3501 §6.4.8)
 * and {@code FETCH 1:*}, {@code FETCH *} ({@code *} is the largest number in use, RFC 3501 §9; there is none) answer
 * OK with no data. James 3.8.1 answers {@code BAD Invalid messageset} (fixed upstream by JAMES-4060 after 3.8.1), which
 * clients synchronising an empty folder take for a protocol error. A sequence number without {@code *} still gets BAD.
 */
public class EmptyMailboxFetchProcessor extends FetchProcessor {
    @Inject
    public EmptyMailboxFetchProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(FetchRequest request, ImapSession session, Responder responder) {
        if (selectsNothing(session.getSelected(), request.isUseUids(), request.getIdSet())) {
            return unsolicitedResponses(session, responder, request.isUseUids())
                .then(Mono.fromRunnable(() -> okComplete(request, responder)));
        }
        return super.processRequestReactive(request, session, responder);
    }

    /** An empty selected mailbox and a set that may legitimately match nothing there. */
    static boolean selectsNothing(SelectedMailbox selected, boolean useUids, IdRange[] set) {
        return selected != null && selected.existsCount() == 0
            && (useUids || Arrays.stream(set).allMatch(range -> range.getHighVal() == Long.MAX_VALUE));
    }
}
