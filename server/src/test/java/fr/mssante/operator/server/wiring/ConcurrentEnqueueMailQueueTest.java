package fr.mssante.operator.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** The mail queue lets concurrent enqueues run side by side, and still loses and duplicates nothing. */
class ConcurrentEnqueueMailQueueTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 25;

    @TempDir
    Path directory;

    @Test
    @Timeout(180)
    void concurrentEnqueuesUseSessionsOfTheirOwnAndEveryMailIsDequeuedOnceIntact() throws Exception {
        EmbeddedQueueBroker broker = new EmbeddedQueueBroker(QueueTestFixtures.fileSystem(directory));
        ConcurrentEnqueueMailQueue queue = new ConcurrentEnqueueMailQueue(broker.connectionFactory(),
            new RawMailQueueItemDecoratorFactory(), MailQueueName.of("spool-test"), new RecordingMetricFactory(),
            new NoopGaugeRegistry());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<?>> senders = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int t = thread;
                senders.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        queue.enQueue(QueueTestFixtures.mail("mail-" + t + "-" + i));
                    }
                    return null;
                }));
            }
            for (Future<?> sender : senders) {
                sender.get();
            }
            // James 3.8.1's queue sends everything through one session (one enqueue at a time); here enqueues overlap
            assertThat(queue.producersCreated()).isGreaterThan(1).isLessThanOrEqualTo(THREADS);
            assertThat(queue.getSize()).isEqualTo(THREADS * PER_THREAD);

            List<String> dequeued = Flux.from(queue.deQueue()).subscribeOn(Schedulers.boundedElastic())
                .take(THREADS * PER_THREAD)
                .map(item -> {
                    try {
                        Mail mail = item.getMail();
                        String name = mail.getName();
                        assertThat(mail.getMessage().getSubject()).isEqualTo("subject " + name);
                        assertThat(mail.getRecipients()).containsExactly(new MailAddress("bruno.durand@ours.test"));
                        item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
                        return name;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .collectList().block(Duration.ofSeconds(60));
            assertThat(dequeued).hasSize(THREADS * PER_THREAD).doesNotHaveDuplicates();
            assertThat(queue.getSize()).isZero();
        } finally {
            pool.shutdownNow();
            queue.dispose();
            broker.stop();
        }
    }
}
