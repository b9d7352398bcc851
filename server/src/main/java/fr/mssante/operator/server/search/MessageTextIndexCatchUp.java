package fr.mssante.operator.server.search;

import java.time.Duration;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.james.lifecycle.api.Startable;
import org.apache.james.utils.InitializationOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, in the background, repairs what a crash left in the text index ({@link MessageTextIndex#catchUp}).
 * Searches do not wait for it: until it has run they scan the un-indexed messages themselves.
 */
@Singleton
public class MessageTextIndexCatchUp implements InitializationOperation, Startable {
    private static final Logger LOGGER = LoggerFactory.getLogger(MessageTextIndexCatchUp.class);

    private final MessageTextIndex index;
    private volatile Thread thread;

    @Inject
    public MessageTextIndexCatchUp(MessageTextIndex index) {
        this.index = index;
    }

    @Override
    public void initModule() {
        Thread catchUp = new Thread(this::run, "search-index-catch-up");
        catchUp.setDaemon(true);
        thread = catchUp;
        catchUp.start();
    }

    private void run() {
        try {
            MessageTextIndex.CatchUp result = index.catchUp();
            LOGGER.info("Search index caught up: {} message(s) indexed, {} stale row(s) removed", result.indexed(), result.removed());
        } catch (Exception e) {
            // e.g. James's tables not built yet on a first start: nothing to catch up
            LOGGER.info("Search index catch-up skipped: {}", MessageTextIndexer.describe(e));
        }
    }

    /** Waits for the catch-up started at initialisation (tests). */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        Thread running = thread;
        if (running != null) {
            running.join(timeout.toMillis());
            return !running.isAlive();
        }
        return true;
    }

    @Override
    public Class<? extends Startable> forClass() {
        return MessageTextIndexCatchUp.class;
    }
}
