package fr.mssante.operator.extensions.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.NoopRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The mechanism behind issue 12's deadlock, without a server: James wraps each request in {@code Mono.using} whose
 * clean-up closes the session's EntityManager; disposing the request (what the channel handler does when the
 * connection closes, on the event loop) runs that clean-up at once on the disposing thread, while the request's
 * blocking work still runs on its own thread. Also the safety net: a failed request is still answered.
 */
class DetachedRequestProcessorTest {
    /** A request shaped like James's: blocking work on another thread, clean-up in Mono.using. */
    private static final class Request implements ImapProcessor {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean workDone = new AtomicBoolean();
        final AtomicReference<Boolean> cleanUpSawWorkDone = new AtomicReference<>();
        final AtomicReference<String> cleanUpThread = new AtomicReference<>();
        final CountDownLatch cleanedUp = new CountDownLatch(1);

        @Override
        public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
            return Mono.using(() -> "entity manager",
                resource -> Mono.fromCallable(() -> {
                    started.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    workDone.set(true);
                    return resource;
                }).subscribeOn(Schedulers.boundedElastic()).then(),
                resource -> {
                    cleanUpSawWorkDone.set(workDone.get());
                    cleanUpThread.set(Thread.currentThread().getName());
                    cleanedUp.countDown();
                });
        }

        @Override
        public void configure(ImapConfiguration imapConfiguration) {
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            if (method.getName().equals("equals")) {
                return proxy == args[0];
            }
            return null;
        });
    }

    @Test
    void jamesAloneClosesThePersistenceContextOnTheDisposingThreadWhileTheWorkRuns() throws Exception {
        Request request = new Request();
        Disposable inFlight = request.processReactive(stub(ImapMessage.class), stub(ImapProcessor.Responder.class),
            stub(ImapSession.class)).subscribe();
        assertThat(request.started.await(10, TimeUnit.SECONDS)).isTrue();

        inFlight.dispose(); // the connection closed

        assertThat(request.cleanedUp.getCount()).isZero();
        assertThat(request.cleanUpSawWorkDone.get()).isFalse();
        assertThat(request.cleanUpThread.get()).isEqualTo(Thread.currentThread().getName());
        request.release.countDown();
    }

    @Test
    void detachedTheCleanUpWaitsForTheWorkAndRunsOnItsThread() throws Exception {
        Request request = new Request();
        RequestCancellation cancellation = new RequestCancellation();
        DetachedRequestProcessor processor = new DetachedRequestProcessor(request, cancellation);
        Disposable inFlight = processor.processReactive(stub(ImapMessage.class), stub(ImapProcessor.Responder.class),
            stub(ImapSession.class)).subscribe();
        assertThat(request.started.await(10, TimeUnit.SECONDS)).isTrue();

        inFlight.dispose(); // the connection closed

        assertThat(request.cleanedUp.getCount()).as("clean-up while the work runs").isEqualTo(1);
        assertThat(processor.running()).isEqualTo(1);
        request.release.countDown();
        assertThat(request.cleanedUp.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(request.cleanUpSawWorkDone.get()).isTrue();
        assertThat(request.cleanUpThread.get()).isNotEqualTo(Thread.currentThread().getName());
    }

    /** A session whose only state is the request-done hook (what the frame decoder leaves to resume reading). */
    private static ImapSession sessionWithHook(Runnable hook) {
        Map<String, Object> attributes = new HashMap<>(Map.of(DetachedRequestProcessor.REQUEST_DONE_HOOK, hook));
        return (ImapSession) Proxy.newProxyInstance(ImapSession.class.getClassLoader(), new Class<?>[] {ImapSession.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "getAttribute" -> attributes.get((String) args[0]);
                case "setAttribute" -> {
                    attributes.put((String) args[0], args[1]);
                    yield null;
                }
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> null;
            });
    }

    private static final class Recorder implements ImapProcessor.Responder {
        final List<ImapResponseMessage> responses = new ArrayList<>();

        @Override
        public void respond(ImapResponseMessage message) {
            responses.add(message);
        }

        @Override
        public void flush() {
        }
    }

    private static ImapProcessor failing(Function<ImapProcessor.Responder, Mono<Void>> behaviour) {
        return new ImapProcessor() {
            @Override
            public Mono<Void> processReactive(ImapMessage message, Responder responder, ImapSession session) {
                return behaviour.apply(responder);
            }

            @Override
            public void configure(ImapConfiguration imapConfiguration) {
            }
        };
    }

    /**
     * The safety net: a processor that throws before returning its Mono (James 3.8.1's PathConverter inside
     * SELECT/STATUS/...) or whose Mono fails, without a tagged response, gets one (NO); the request counts as ended
     * and the next pipelined request is released.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFailedRequestIsAnsweredNoAndReleasesTheNextOne(boolean throwsBeforeItsMono) {
        ImapProcessor processor = failing(responder -> {
            if (throwsBeforeItsMono) {
                throw new IllegalStateException("Bruno's mailbox name");
            }
            return Mono.error(new IllegalStateException("Bruno's mailbox name"));
        });
        DetachedRequestProcessor detached = new DetachedRequestProcessor(processor, new RequestCancellation());
        AtomicBoolean released = new AtomicBoolean();
        Recorder responder = new Recorder();
        Tag tag = new Tag("a1");

        detached.processReactive(new NoopRequest(tag), responder,
            sessionWithHook(() -> released.set(true))).block(Duration.ofSeconds(5));

        assertThat(responder.responses).singleElement()
            .isInstanceOfSatisfying(StatusResponse.class, status -> {
                assertThat(status.getTag()).isEqualTo(tag);
                assertThat(status.getServerResponseType()).isEqualTo(StatusResponse.Type.NO);
            });
        assertThat(released).isTrue();
        assertThat(detached.running()).isZero();
    }

    /** A processor that answered its command and then failed is not answered twice. */
    @Test
    void aFailureAfterTheTaggedAnswerAddsNothing() {
        Tag tag = new Tag("a2");
        NoopRequest noop = new NoopRequest(tag);
        ImapProcessor processor = failing(responder -> {
            responder.respond(new UnpooledStatusResponseFactory()
                .taggedOk(tag, noop.getCommand(), HumanReadableText.COMPLETED));
            return Mono.error(new IllegalStateException("late"));
        });
        Recorder responder = new Recorder();

        new DetachedRequestProcessor(processor, new RequestCancellation())
            .processReactive(noop, responder, sessionWithHook(() -> { })).block(Duration.ofSeconds(5));

        assertThat(responder.responses).hasSize(1);
    }

    @Test
    void cancellationIsPerSessionAndForgotten() {
        RequestCancellation cancellation = new RequestCancellation();
        Object session = new Object();
        Object other = new Object();
        cancellation.cancel(session);
        assertThat(cancellation.isCancelled(session)).isTrue();
        assertThat(cancellation.isCancelled(other)).isFalse();
        cancellation.forget(session);
        assertThat(cancellation.isCancelled(session)).isFalse();
    }
}
