package fr.mssante.operator.extensions.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.dsn.DsnReasons;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Delivers mail for other domains to the other operators of the trust space ({@link OperatorDelivery}): mail is put
 * on a durable outgoing queue, delivery threads take it, transient failures are retried on the configured schedule,
 * permanent failures (and transient ones after the last attempt) go to the bounce processor with the reason, which
 * builds the DSN. Each outcome is audited.
 *
 * <pre>{@code
 * <mailet match="All" class="fr.mssante.operator.extensions.delivery.DeliverToTrustedOperator">
 *   <outgoingQueue>outbound</outgoingQueue>
 *   <bounceProcessor>bounces</bounceProcessor>
 *   <delayProcessor>delays</delayProcessor>
 *   <deliveryThreads>8</deliveryThreads>
 * </mailet>
 * }</pre>
 */
public class DeliverToTrustedOperator extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(DeliverToTrustedOperator.class);
    static final AttributeName ATTEMPT = AttributeName.of("mss.delivery.attempt");

    record Parameters(String outgoingQueue, String bounceProcessor, String delayProcessor, int deliveryThreads) {
        Parameters {
            if (deliveryThreads < 1 || deliveryThreads > 64) {
                throw new IllegalArgumentException("deliveryThreads must be between 1 and 64");
            }
        }
    }

    private final OperatorDelivery delivery;
    private final OutboundSettings settings;
    private final MailQueueFactory<? extends MailQueue> queues;
    private final MessageEventLog audit;
    private Parameters parameters;
    private MailQueue queue;
    private Disposable consumer;

    @Inject
    public DeliverToTrustedOperator(OperatorDelivery delivery, OutboundSettings settings,
                                    MailQueueFactory<? extends MailQueue> queues, MessageEventLog audit) {
        this.delivery = delivery;
        this.settings = settings;
        this.queues = queues;
        this.audit = audit;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("outgoingQueue", "bounceProcessor", "delayProcessor", "deliveryThreads"));
        try {
            parameters = new Parameters(getInitParameter("outgoingQueue", "outbound"),
                getInitParameter("bounceProcessor", "bounces"), getInitParameter("delayProcessor", "delays"), Integer.parseInt(getInitParameter("deliveryThreads", "8")));
        } catch (IllegalArgumentException e) { // includes NumberFormatException
            throw new MessagingException(getMailetName() + ": " + e.getMessage());
        }
        queue = queues.createQueue(MailQueueName.of(parameters.outgoingQueue()));
        // the JMS queue blocks the subscribing thread while it waits for mail: never subscribe on the caller's
        consumer = Flux.from(queue.deQueue())
            .subscribeOn(Schedulers.newSingle("outbound-dequeue-" + parameters.outgoingQueue()))
            .flatMap(item -> Mono.fromRunnable(() -> attempt(item)).subscribeOn(Schedulers.boundedElastic()),
                parameters.deliveryThreads())
            .subscribe();
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        queue.enQueue(mail);
        mail.setState(Mail.GHOST);
    }

    private void attempt(MailQueue.MailQueueItem item) {
        Mail mail = item.getMail();
        try {
            int attempt = mail.getAttribute(ATTEMPT).flatMap(a -> a.getValue().valueAs(Integer.class)).orElse(1);
            DeliveryResult result = delivery.deliver(mail);
            audit(mail, "REMOTE_DELIVERED", result.delivered(), "");
            if (!result.delivered().isEmpty()) {
                audit.delivered(mail);
            }
            if (!result.permanentFailures().isEmpty()) {
                bounce(mail, result.permanentFailures(), "");
            }
            if (!result.transientFailures().isEmpty()) {
                if (attempt >= settings.maxAttempts()) {
                    bounce(mail, result.transientFailures(), "after " + attempt + " attempts: ");
                } else {
                    retry(mail, result.transientFailures(), attempt + 1);
                }
            }
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            LOGGER.error("Outbound delivery of {} failed unexpectedly; it stays queued", mail.getName(), e);
            try {
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
            } catch (MailQueue.MailQueueException queueFailure) {
                LOGGER.error("Cannot give {} back to the queue", mail.getName(), queueFailure);
            }
        }
    }

    private void retry(Mail mail, Map<MailAddress, SmtpReply> failures, int nextAttempt) throws MessagingException {
        Mail again = mail.duplicate();
        again.setRecipients(new ArrayList<>(failures.keySet()));
        again.setAttribute(new Attribute(ATTEMPT, AttributeValue.of(nextAttempt)));
        Duration delay = settings.delayBeforeAttempt(nextAttempt);
        if (nextAttempt == 2) {
            // RFC 3461 NOTIFY=DELAY: one "delayed" DSN at the first deferral (the delays processor matches who asked)
            Mail delayed = mail.duplicate();
            try {
                delayed.setRecipients(new ArrayList<>(failures.keySet()));
                delayed.setErrorMessage("delivery delayed, will retry: " + summary(failures));
                recordReasons(delayed, failures);
                getMailetContext().sendMail(delayed, parameters.delayProcessor());
            } finally {
                LifecycleUtil.dispose(delayed);
            }
        }
        try {
            queue.enQueue(again, delay);
        } finally {
            LifecycleUtil.dispose(again);
        }
        audit(mail, "REMOTE_DEFERRED", List.copyOf(failures.keySet()), summary(failures) + " (attempt " + nextAttempt + " in " + delay + ")");
    }

    private void bounce(Mail mail, Map<MailAddress, SmtpReply> failures, String prefix) throws MessagingException {
        Mail bounce = mail.duplicate();
        bounce.setRecipients(new ArrayList<>(failures.keySet()));
        bounce.setErrorMessage(prefix + summary(failures));
        recordReasons(bounce, failures);
        try {
            getMailetContext().sendMail(bounce, parameters.bounceProcessor());
        } finally {
            LifecycleUtil.dispose(bounce);
        }
        audit(mail, "REMOTE_FAILED", List.copyOf(failures.keySet()), prefix + summary(failures));
    }

    /** Each recipient's own reply for its DSN block (Status, Diagnostic-Code, Remote-MTA when the peer said it). */
    private static void recordReasons(Mail mail, Map<MailAddress, SmtpReply> failures) {
        failures.forEach((recipient, reply) -> DsnReasons.put(mail, recipient, reply.toString(), reply.remoteMta()));
    }

    private static String summary(Map<MailAddress, SmtpReply> failures) {
        return failures.entrySet().stream().map(entry -> entry.getKey().asString() + ": " + entry.getValue())
            .collect(Collectors.joining("; "));
    }

    private void audit(Mail mail, String event, List<MailAddress> recipients, String detail) {
        if (recipients.isEmpty()) {
            return;
        }
        try {
            audit.append(new MessageEvent(event, mail.getName(), Optional.ofNullable(mail.getMessage().getMessageID()),
                mail.getMaybeSender().asOptional().map(MailAddress::asString),
                recipients.stream().map(MailAddress::asString).toList(), Optional.empty(), mail.getMessageSize(),
                detail.isEmpty() ? Optional.empty() : Optional.of(detail)));
        } catch (SQLException | MessagingException e) {
            LOGGER.error("Cannot audit {} of {}", event, mail.getName(), e);
        }
    }

    @Override
    public void destroy() {
        if (consumer != null) {
            consumer.dispose();
        }
    }

    @Override
    public String getMailetInfo() {
        return "Delivers to other MSSante operators over mutual TLS, liste blanche enforced";
    }
}
