package fr.mssante.operator.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss (issue 16 #4): the mail queue's message body (its blob file) and the directory naming it are forced to
 * disk before the enqueue returns, that is before SMTP answers 250; an enqueue whose body cannot be forced fails
 * (SMTP then answers 4xx) and leaves no body behind.
 */
class DurableBlobUploadStrategyTest {
    @TempDir
    Path directory;

    @Test
    @Timeout(120)
    void theBodyAndItsDirectoryAreForcedBeforeTheEnqueueReturns() throws Exception {
        List<Path> forced = new CopyOnWriteArrayList<>();
        List<Long> queueSizeWhenForced = new CopyOnWriteArrayList<>();
        ConcurrentEnqueueMailQueue[] queueHolder = new ConcurrentEnqueueMailQueue[1];
        EmbeddedQueueBroker broker = new EmbeddedQueueBroker(QueueTestFixtures.fileSystem(directory), path -> {
            DurableBlobUploadStrategy.FSYNC.force(path);
            forced.add(path);
            try {
                queueSizeWhenForced.add(queueHolder[0].getSize());
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        ConcurrentEnqueueMailQueue queue = queue(broker);
        queueHolder[0] = queue;
        try {
            queue.enQueue(QueueTestFixtures.mail("first"));

            Path blobs = directory.resolve("var/store/activemq/blob-transfer");
            List<Path> bodies = files(blobs);
            assertThat(bodies).hasSize(1);
            Path body = bodies.get(0);
            assertThat(Files.readString(body, StandardCharsets.US_ASCII)).contains("body of first");
            // the file, then the directory that names it, then (first use of that directory) the one naming it
            assertThat(forced).containsExactly(body, body.getParent(), blobs);
            // all of it before the message was in the queue
            assertThat(queueSizeWhenForced).containsOnly(0L);
            assertThat(queue.getSize()).isEqualTo(1);

            forced.clear();
            queue.enQueue(QueueTestFixtures.mail("second"));
            assertThat(forced).hasSizeBetween(2, 3).startsWith(files(blobs).stream()
                .filter(path -> !path.equals(body)).findFirst().orElseThrow());
        } finally {
            queue.dispose();
            broker.stop();
        }
    }

    @Test
    @Timeout(120)
    void anEnqueueWhoseBodyCannotBeForcedFailsAndLeavesNothing() throws Exception {
        EmbeddedQueueBroker broker = new EmbeddedQueueBroker(QueueTestFixtures.fileSystem(directory), path -> {
            throw new IOException("No space left on device");
        });
        ConcurrentEnqueueMailQueue queue = queue(broker);
        try {
            assertThatThrownBy(() -> queue.enQueue(QueueTestFixtures.mail("refused"))).isNotNull();
            assertThat(queue.getSize()).isZero();
            assertThat(files(directory.resolve("var/store/activemq/blob-transfer"))).isEmpty();
        } finally {
            queue.dispose();
            broker.stop();
        }
    }

    private static ConcurrentEnqueueMailQueue queue(EmbeddedQueueBroker broker) {
        return new ConcurrentEnqueueMailQueue(broker.connectionFactory(), new RawMailQueueItemDecoratorFactory(),
            MailQueueName.of("spool-durable"), new RecordingMetricFactory(), new NoopGaugeRegistry());
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
