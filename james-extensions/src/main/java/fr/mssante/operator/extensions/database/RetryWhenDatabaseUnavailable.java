package fr.mssante.operator.extensions.database;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.database.DatabaseOutage;

/**
 * The first mailet of the processor every mailet's {@code onMailetException} names. A mail whose mailet failed
 * because PostgreSQL was unreachable ({@link DatabaseOutage}) goes back to the durable spool, in the processor it was
 * in ({@code mss.processor}, set at the start of every processor), and is processed again after {@code retryDelay}:
 * never the {@code error} processor, never a DSN, for an outage. The processor runs again from its first mailet: the
 * mail keeps its name and its {@link MailEffects}, so what was already done (stored, audited, notified) is not done
 * again. Any other failure goes on to {@code otherwise}, as
 * before. The failure is the exception James attaches ({@link Mail#MAILET_ERROR}), else the stack trace it prints
 * in the error message.
 * <p>Some mailets route a failure themselves, without an exception (RecipientRewriteTable sends recipients it could
 * not rewrite, whatever the reason, to its errorProcessor): there, {@code attemptsWithoutCause} retries such a mail
 * in {@code retryProcessor} that many times before it goes on (a real rewrite error fails again; an outage passes).
 * <pre>{@code <mailet match="All" class="fr.mssante.operator.extensions.database.RetryWhenDatabaseUnavailable">
 *   <retryDelay>PT30S</retryDelay>
 *   <otherwise>error</otherwise>             (optional: where other failures go; absent = on in this processor)
 *   <retryProcessor>transport</retryProcessor> (optional: default, the processor in mss.processor)
 *   <attemptsWithoutCause>3</attemptsWithoutCause> (optional, default 0)
 * </mailet>}</pre>
 */
public class RetryWhenDatabaseUnavailable extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(RetryWhenDatabaseUnavailable.class);
    /** The processor a mail is in, set by the first mailet of each processor. */
    public static final AttributeName PROCESSOR = AttributeName.of("mss.processor");
    public static final AttributeName WAITS = AttributeName.of("mss.database.waits");

    private final MailQueueFactory<? extends MailQueue> queues;
    private Duration retryDelay;
    private Optional<String> otherwise;
    private Optional<String> retryProcessor;
    private int attemptsWithoutCause;
    private MailQueue spool;

    @Inject
    public RetryWhenDatabaseUnavailable(MailQueueFactory<? extends MailQueue> queues) {
        this.queues = queues;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("retryDelay", "otherwise", "retryProcessor", "attemptsWithoutCause"));
        try {
            retryDelay = Duration.parse(getInitParameter("retryDelay", "PT30S"));
        } catch (DateTimeParseException e) {
            throw new MessagingException(getMailetName() + ": retryDelay must be an ISO-8601 duration such as PT30S");
        }
        otherwise = Optional.ofNullable(getInitParameter("otherwise")).filter(value -> !value.isBlank());
        retryProcessor = Optional.ofNullable(getInitParameter("retryProcessor")).filter(value -> !value.isBlank());
        try {
            attemptsWithoutCause = Integer.parseInt(getInitParameter("attemptsWithoutCause", "0"));
        } catch (NumberFormatException e) {
            throw new MessagingException(getMailetName() + ": attemptsWithoutCause must be a number");
        }
        spool = queues.createQueue(MailQueueFactory.SPOOL);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Optional<String> processor = retryProcessor.or(() -> mail.getAttribute(PROCESSOR).flatMap(a -> a.getValue().valueAs(String.class)));
        int waits = mail.getAttribute(WAITS).flatMap(a -> a.getValue().valueAs(Integer.class)).orElse(0);
        Optional<Object> failure = mail.getAttribute(Mail.MAILET_ERROR).map(a -> a.getValue().value());
        boolean outage;
        if (failure.isPresent() && failure.get() instanceof Throwable thrown) {
            outage = DatabaseOutage.isTransient(thrown) || DatabaseOutage.isTransient(mail.getErrorMessage());
        } else if (mail.getErrorMessage() != null) {
            outage = DatabaseOutage.isTransient(mail.getErrorMessage());
        } else {
            outage = waits < attemptsWithoutCause;
        }
        if (processor.isEmpty() || !outage) {
            otherwise.ifPresent(mail::setState);
            return;
        }
        Mail again = mail.duplicate();
        try {
            // the same mail, under its own name (the audit trail follows it), with what it has done so far (MailEffects)
            again.setName(mail.getName());
            again.setAttribute(new Attribute(WAITS, AttributeValue.of(waits + 1)));
            again.removeAttribute(Mail.MAILET_ERROR);
            again.setErrorMessage(null);
            again.setState(processor.get());
            spool.enQueue(again, retryDelay);
        } finally {
            LifecycleUtil.dispose(again);
        }
        LOGGER.warn("Database unavailable: {} goes back to the spool, processor {} again in {} (wait {})",
            mail.getName(), processor.get(), retryDelay, waits + 1);
        mail.setState(Mail.GHOST);
    }

    @Override
    public String getMailetInfo() {
        return "Puts a mail whose mailet failed because the database was unreachable back in the spool to be retried";
    }
}
