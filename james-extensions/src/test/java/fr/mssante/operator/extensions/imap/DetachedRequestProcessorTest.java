package fr.mssante.operator.extensions.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.james.imap.api.ImapConfiguration;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.api.process.ImapSession;
import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The mechanism behind issue 12's deadlock, without a server: James wraps each request in {@code Mono.using} whose
 * clean-up closes the session's EntityManager; disposing the request (what the channel handler does when the
 * connection closes, on the event loop) runs that clean-up at once on the disposing thread, while the request's
 * blocking work still runs on its own thread.
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
