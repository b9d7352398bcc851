package fr.mssante.operator.trust.tls;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a listener within a bounded time. James's unbind waits, without limit, for its event loops to end gracefully:
 * one event loop stuck in a blocking call (before issue 12: a deadlock in OpenJPA) made {@code ./mss down} wait forever.
 * The graceful stop now runs on its own daemon thread; past the bound the listener is left behind (its sockets are
 * closed by then) and the shutdown goes on.
 */
public final class BoundedUnbind {
    /** Per listener; the whole server stop is bounded again by MSS_SHUTDOWN_TIMEOUT. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOGGER = LoggerFactory.getLogger(BoundedUnbind.class);

    private BoundedUnbind() {
    }

    public static void run(String listener, Runnable unbind) {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                unbind.run();
                stopped.complete(null);
            } catch (RuntimeException e) {
                stopped.completeExceptionally(e);
            }
        }, "mss-unbind-" + listener);
        thread.setDaemon(true);
        thread.start();
        try {
            stopped.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOGGER.warn("Listener {} did not stop within {}; shutdown goes on without it", listener, TIMEOUT);
        } catch (ExecutionException e) {
            LOGGER.warn("Listener {} failed to stop cleanly", listener, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
