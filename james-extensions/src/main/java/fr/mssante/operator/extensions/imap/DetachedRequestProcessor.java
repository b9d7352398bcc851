package fr.mssante.operator.extensions.imap;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.ImapRequest;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs each IMAP request to its end, even when its client goes away, and asks it to stop instead of tearing it down.
 *
 * <p>James 3.8.1 disposes the request in flight when a connection closes, on the Netty event loop; the disposal runs
 * the request's clean-up there and then ({@code MailboxManager.manageProcessing} → {@code endProcessingRequest}), which
 * closes the session's JPA EntityManager while the request's own thread still uses it. With a long {@code SEARCH TEXT}
 * the two threads deadlock inside OpenJPA (the event loop holds the broker lock and waits for an entity lock, the
 * search thread holds the entity lock and waits for the broker lock): the event loop is lost for good, new connections
 * on it hang before the greeting, and the listener can no longer stop.
 *
 * <p>Here the downstream (James's channel handler) subscribes to a detached copy of the request: cancelling it no
 * longer reaches the request, which completes on its own thread, where its clean-up then runs; the session is marked
 * cancelled in {@link RequestCancellation} so that a long search stops at its next message.
 *
 * <p>Being the first processor of every request, it also ends a session whose selected mailbox another session
 * deleted ({@code * BYE Selected mailbox has been deleted}, as James's own stream handler does but its Netty handler
 * does not), writes out the responses of a request that ends the session before James closes the channel, and answers
 * a request that failed without its tagged response ({@code NO ... processing failed.}, see {@link #answerFailure}).
 */
public class DetachedRequestProcessor implements ImapProcessor {
    static final HumanReadableText SELECTED_MAILBOX_DELETED = new HumanReadableText(
        "org.apache.james.imap.SELECTED_MAILBOX_DELETED", "Selected mailbox has been deleted");
    /**
     * Session attribute: what to run once the request has ended and its responses are written (set by
     * {@link LimitedImapRequestFrameDecoder}, which holds the next pipelined request until then).
     */
    public static final String REQUEST_DONE_HOOK = "mss.imap.requestDone";
    private static final StatusResponseFactory RESPONSES = new UnpooledStatusResponseFactory();

    private static final Logger LOGGER = LoggerFactory.getLogger(DetachedRequestProcessor.class);

    private final ImapProcessor delegate;
    private final RequestCancellation cancellation;
    private final AtomicInteger running = new AtomicInteger();

    public DetachedRequestProcessor(ImapProcessor delegate, RequestCancellation cancellation) {
        this.delegate = delegate;
        this.cancellation = cancellation;
    }

    @Override
    public void configure(ImapConfiguration imapConfiguration) {
        delegate.configure(imapConfiguration);
    }

    @Override
    public void process(ImapMessage message, Responder responder, ImapSession session) {
        processReactive(message, responder, session).block();
    }

    @Override
    public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
        SelectedMailbox selected = session.getSelected();
        if (selected != null && selected.isDeletedByOtherSession()) {
            // RFC 3501 §7.1.5 / James's own stream handler: the selected mailbox is gone, the session cannot go on
            responder.respond(RESPONSES.bye(SELECTED_MAILBOX_DELETED));
            return session.logout().then(Mono.<Void>fromRunnable(responder::flush))
                .doFinally(signal -> requestDone(session));
        }
        return Mono.deferContextual(context -> {
            Sinks.Empty<Void> done = Sinks.empty();
            // 0: running, 1: finished, 2: abandoned by its client (cancelled downstream) while running
            AtomicInteger state = new AtomicInteger();
            running.incrementAndGet();
            AnswerWatch watch = new AnswerWatch(responder, message);
            Mono.defer(() -> delegate.processReactive(message, watch, session))
                .onErrorResume(error -> answerFailure(message, watch, error))
                .then(Mono.fromRunnable(responder::flush))
                .contextWrite(context)
                .doFinally(signal -> {
                    running.decrementAndGet();
                    requestDone(session);
                    if (state.getAndSet(1) == 2) {
                        LOGGER.debug("Request {} of a closed IMAP connection ended", message.getClass().getSimpleName());
                        cancellation.forget(session.getMailboxSession());
                    }
                })
                .subscribe(any -> {
                }, done::tryEmitError, done::tryEmitEmpty);
            return done.asMono()
                .doOnCancel(() -> {
                    cancellation.cancel(session.getMailboxSession());
                    if (!state.compareAndSet(0, 2)) {
                        cancellation.forget(session.getMailboxSession());
                    }
                });
        });
    }

    /**
     * The safety net: a processor failed (or threw before building its answer) without a tagged response. Without one
     * the client waits for ever (RFC 3501/9051: every command ends with a tagged OK, NO or BAD) and, before this,
     * the error reached the end of Netty's pipeline while the next pipelined request stayed held. Answered
     * {@code NO <command> processing failed.}, logged by exception class and place only (a message may carry mailbox
     * names or content).
     */
    private Mono<Void> answerFailure(ImapMessage message, AnswerWatch watch, Throwable error) {
        StackTraceElement[] trace = error.getStackTrace();
        String command = message instanceof ImapRequest request ? request.getCommand().getName() : message.getClass().getSimpleName();
        boolean answer = message instanceof ImapRequest && !watch.answered();
        LOGGER.warn("IMAP {} failed with {} at {}{}", command, error.getClass().getName(),
            trace.length == 0 ? "?" : trace[0], answer ? "; answered NO" : "");
        if (answer) {
            ImapRequest request = (ImapRequest) message;
            watch.respond(RESPONSES.taggedNo(request.getTag(), request.getCommand(), HumanReadableText.GENERIC_FAILURE_DURING_PROCESSING));
        }
        return Mono.empty();
    }

    /** Passes responses on, noting whether the request's tagged response went out. */
    private static final class AnswerWatch implements Responder {
        private final Responder responder;
        private final Tag tag;
        private volatile boolean answered;

        private AnswerWatch(Responder responder, ImapMessage message) {
            this.responder = responder;
            this.tag = message instanceof ImapRequest request ? request.getTag() : null;
        }

        @Override
        public void respond(ImapResponseMessage message) {
            if (tag != null && message instanceof StatusResponse status && tag.equals(status.getTag())) {
                answered = true;
            }
            responder.respond(message);
        }

        @Override
        public void flush() {
            responder.flush();
        }

        boolean answered() {
            return answered;
        }
    }

    /**
     * The request has ended and its responses were handed to the channel (flushed above, in order, before James's
     * handler may close the channel on LOGOUT): the next pipelined request may now be decoded.
     */
    private static void requestDone(ImapSession session) {
        Object hook = session.getAttribute(REQUEST_DONE_HOOK);
        if (hook instanceof Runnable resume) {
            session.setAttribute(REQUEST_DONE_HOOK, null);
            resume.run();
        }
    }

    /** Requests still running, their client gone or not. */
    public int running() {
        return running.get();
    }
}
