package fr.mssante.operator.extensions.delivery;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.apache.mailet.DsnParameters;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import fr.mssante.operator.delivery.DeliveryResult;
import fr.mssante.operator.delivery.OperatorDelivery;
import fr.mssante.operator.delivery.OutboundMail;
import fr.mssante.operator.delivery.OutboundSettings;
import fr.mssante.operator.delivery.SmtpReply;
import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.dsn.DsnReasons;

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
 *   <relayedProcessor>relayed</relayedProcessor>  <!-- delivered to a peer without DSN (RFC 3461 §5.2.2) -->
 *   <deliveryThreads>8</deliveryThreads>
 * </mailet>
 * }</pre>
 */
public class DeliverToTrustedOperator extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(DeliverToTrustedOperator.class);
    static final AttributeName ATTEMPT = AttributeName.of("mss.delivery.attempt");

    record Parameters(String outgoingQueue, String bounceProcessor, String delayProcessor, String relayedProcessor,
                      int deliveryThreads) {
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
        checkInitParameters(Set.of("outgoingQueue", "bounceProcessor", "delayProcessor", "relayedProcessor", "deliveryThreads"));
        try {
            parameters = new Parameters(getInitParameter("outgoingQueue", "outbound"),
                getInitParameter("bounceProcessor", "bounces"), getInitParameter("delayProcessor", "delays"),
                getInitParameter("relayedProcessor", "relayed"), Integer.parseInt(getInitParameter("deliveryThreads", "8")));
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
            Map<String, MailAddress> recipients = new LinkedHashMap<>();
            mail.getRecipients().forEach(recipient -> recipients.putIfAbsent(recipient.asString(), recipient));
            DeliveryResult result = delivery.deliver(outboundMail(mail));
            List<MailAddress> delivered = addresses(result.delivered(), recipients);
            audit(mail, "REMOTE_DELIVERED", delivered, "");
            if (!delivered.isEmpty()) {
                audit.delivered(mail);
            }
            if (!result.relayedWithoutDsn().isEmpty()) {
                relayedWithoutDsn(mail, addresses(result.relayedWithoutDsn(), recipients));
            }
            if (!result.permanentFailures().isEmpty()) {
                bounce(mail, failures(result.permanentFailures(), recipients), "");
            }
            if (!result.transientFailures().isEmpty()) {
                if (attempt >= settings.maxAttempts()) {
                    bounce(mail, failures(result.transientFailures(), recipients), "after " + attempt + " attempts: ");
                } else {
                    retry(mail, failures(result.transientFailures(), recipients), attempt + 1);
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

    /** The mail as the James-free delivery sees it: envelope, content, DSN parameters (RFC 3461) as plain values. */
    static OutboundMail outboundMail(Mail mail) throws MessagingException {
        Optional<DsnParameters> dsn = mail.dsnParameters();
        Map<String, OutboundMail.RecipientDsn> byRecipient = new LinkedHashMap<>();
        dsn.map(DsnParameters::getRcptParameters).ifPresent(parameters -> parameters.forEach((recipient, rcpt) ->
            byRecipient.put(recipient.asString(), new OutboundMail.RecipientDsn(
                rcpt.getNotifyParameter().map(notify -> notify.stream().map(Enum::name).toList()).orElse(List.of()),
                rcpt.getOrcptParameter().map(MailAddress::asString)))));
        return new OutboundMail(mail.getMaybeSender().asString(""), mail.getRecipients().stream().map(MailAddress::asString).toList(),
            mail.getMessageSize(), mail.getMessage(), dsn.flatMap(DsnParameters::getRetParameter).map(Enum::name),
            dsn.flatMap(DsnParameters::getEnvIdParameter).map(DsnParameters.EnvId::asString), byRecipient);
    }

    private static List<MailAddress> addresses(List<String> addresses, Map<String, MailAddress> recipients) {
        return addresses.stream().map(recipients::get).toList();
    }

    private static Map<MailAddress, SmtpReply> failures(Map<String, SmtpReply> failures, Map<String, MailAddress> recipients) {
        Map<MailAddress, SmtpReply> byRecipient = new LinkedHashMap<>();
        failures.forEach((address, reply) -> byRecipient.put(recipients.get(address), reply));
        return byRecipient;
    }

    /**
     * RFC 3461 §5.2.2: the peer took these recipients without announcing DSN, so their NOTIFY went no further; those
     * who asked NOTIFY=SUCCESS get a "relayed" DSN from us (the relayed processor matches who asked). A peer that
     * announces DSN gets the parameters and sends the success notice itself: nothing from us then.
     */
    private void relayedWithoutDsn(Mail mail, List<MailAddress> recipients) throws MessagingException {
        Mail relayed = mail.duplicate();
        try {
            relayed.setRecipients(new ArrayList<>(recipients));
            getMailetContext().sendMail(relayed, parameters.relayedProcessor());
        } finally {
            LifecycleUtil.dispose(relayed);
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
