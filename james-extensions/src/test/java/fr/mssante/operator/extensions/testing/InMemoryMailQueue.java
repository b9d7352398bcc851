package fr.mssante.operator.extensions.testing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.mail.MessagingException;

import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A mail queue in memory for mailet tests: mail enqueued without delay is dequeued at once (a copy, as a real queue
 * serialises it); mail enqueued with a delay is only recorded ({@link #delayed}), the test decides what comes next.
 */
public final class InMemoryMailQueue implements MailQueue {
    public record Delayed(Mail mail, Duration delay) {
    }

    private final MailQueueName name;
    private final Sinks.Many<MailQueueItem> items = Sinks.many().unicast().onBackpressureBuffer();
    public final List<Delayed> delayed = new CopyOnWriteArrayList<>();
    public final List<String> completions = new CopyOnWriteArrayList<>();

    public InMemoryMailQueue(MailQueueName name) {
        this.name = name;
    }

    @Override
    public MailQueueName getName() {
        return name;
    }

    @Override
    public synchronized void enQueue(Mail mail, Duration delay) throws MailQueueException {
        Mail copy = copy(mail);
        if (delay.isZero() || delay.isNegative()) {
            Sinks.EmitResult result = items.tryEmitNext(new MailQueueItem() {
                @Override
                public Mail getMail() {
                    return copy;
                }

                @Override
                public void done(CompletionStatus status) {
                    completions.add(copy.getName() + " " + status);
                }
            });
            if (result.isFailure()) {
                throw new MailQueueException("cannot enqueue " + mail.getName() + ": " + result);
            }
        } else {
            delayed.add(new Delayed(copy, delay));
        }
    }

    @Override
    public void enQueue(Mail mail) throws MailQueueException {
        enQueue(mail, Duration.ZERO);
    }

    @Override
    public Publisher<Void> enqueueReactive(Mail mail) {
        return Mono.fromRunnable(() -> {
            try {
                enQueue(mail);
            } catch (MailQueueException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public Publisher<MailQueueItem> deQueue() {
        return Flux.from(items.asFlux());
    }

    @Override
    public void close() {
        items.tryEmitComplete();
    }

    private static Mail copy(Mail mail) throws MailQueueException {
        try {
            return mail.duplicate();
        } catch (MessagingException e) {
            throw new MailQueueException("cannot copy " + mail.getName(), e);
        }
    }

    /** A factory that hands out this one queue whatever the name. */
    public MailQueueFactory<InMemoryMailQueue> factory() {
        InMemoryMailQueue queue = this;
        return new MailQueueFactory<>() {
            @Override
            public Optional<InMemoryMailQueue> getQueue(MailQueueName queueName, PrefetchCount count) {
                return Optional.of(queue);
            }

            @Override
            public InMemoryMailQueue createQueue(MailQueueName queueName, PrefetchCount count) {
                return queue;
            }

            @Override
            public Set<MailQueueName> listCreatedMailQueues() {
                return Set.of(name);
            }
        };
    }
}
