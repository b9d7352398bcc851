package fr.mssante.operator.extensions.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.transport.mailets.delivery.MailStore;
import org.apache.james.transport.mailets.delivery.MailboxAppenderImpl;
import org.apache.james.transport.mailets.delivery.SimpleMailStore;
import org.apache.james.user.api.UsersRepository;
import org.apache.mailet.Mail;
import org.apache.mailet.PerRecipientHeaders;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import fr.mssante.operator.database.DatabaseOutage;
import fr.mssante.operator.extensions.database.MailEffects;
import fr.mssante.operator.extensions.database.RetryWhenDatabaseUnavailable;

/**
 * Stores the mail into the INBOX of each of its recipients (our mailboxes), <strong>once per recipient</strong>:
 * each recipient whose copy is stored is noted on the mail at once ({@link MailEffects}, effect {@code stored}), and a
 * recipient already noted is skipped. Replaces James's {@code LocalDelivery} (and {@code AddDeliveredToHeader}), which
 * stores recipient after recipient and, when one fails, sends that recipient to an error mail of its own while the
 * mail goes on: a database outage became a failure DSN, and the processor running again after an outage stored a
 * second copy for every recipient already served.
 *
 * <p>Each copy gets {@code Return-Path} (the envelope sender), {@code Delivered-To} (its recipient) and the mail's
 * headers for that recipient, on the stored copy only. When storing fails for a recipient:
 * <ul>
 *   <li>PostgreSQL unreachable ({@link DatabaseOutage}): the mailet fails once every recipient has been tried, so the
 *       mail goes through {@code mailet-failed} back to the spool ({@link RetryWhenDatabaseUnavailable}); the
 *       recipients already stored are not stored again when the processor runs again;</li>
 *   <li>any other failure, once tried again three times within about two seconds (as {@code LocalDelivery} did): that
 *       recipient leaves this mail for a copy in {@code errorProcessor} (with the reason), the others go on.</li>
 * </ul>
 * <pre>{@code
 * <mailet match="All" class="fr.mssante.operator.extensions.delivery.DeliverToLocalMailboxes">
 *   <errorProcessor>error</errorProcessor>   (optional, default error)
 * </mailet>}</pre>
 * The mail is not consumed: what follows (citizen notification, success DSN) sees the recipients stored.
 */
public class DeliverToLocalMailboxes extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(DeliverToLocalMailboxes.class);
    static final String STORED = "stored";
    static final String DELIVERED_TO = "Delivered-To";
    static final String RETURN_PATH = "Return-Path";
    private static final int QUICK_RETRIES = 3;

    /** Stores one recipient's copy (James's mailbox store; a fake in tests). */
    public interface RecipientStore {
        void store(MailAddress recipient, Mail mail) throws Exception;
    }

    record Parameters(String errorProcessor) {
    }

    private final RecipientStore store;
    private Parameters parameters;

    @Inject
    public DeliverToLocalMailboxes(UsersRepository users, MailboxManager mailboxManager, MetricFactory metrics) {
        this(james(users, mailboxManager, metrics));
    }

    public DeliverToLocalMailboxes(RecipientStore store) {
        this.store = store;
    }

    private static RecipientStore james(UsersRepository users, MailboxManager mailboxManager, MetricFactory metrics) {
        MailStore mailStore = SimpleMailStore.builder().mailboxAppender(new MailboxAppenderImpl(mailboxManager))
            .usersRepository(users).folder("INBOX").metric(metrics.generate("localDeliveredMails")).build();
        // as LocalDelivery did: a few quick tries for a failure of the moment (a serialization failure, a deadlock
        // victim); an outage is not waited out here, but in the spool (MSS_DATABASE_RETRY)
        return (recipient, mail) -> Mono.defer(() -> Mono.from(mailStore.storeMail(recipient, mail)))
            .retryWhen(Retry.backoff(QUICK_RETRIES, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(1))
                .filter(failure -> !DatabaseOutage.isTransient(failure))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
            .block();
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("errorProcessor"));
        String errorProcessor = getInitParameter("errorProcessor", "error");
        if (errorProcessor.isBlank()) {
            throw new MessagingException(getMailetName() + ": errorProcessor must name a processor");
        }
        parameters = new Parameters(errorProcessor);
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (Mail.GHOST.equals(mail.getState())) {
            return;
        }
        MimeMessage message = mail.getMessage();
        message.setHeader(RETURN_PATH, mail.getMaybeSender().asPrettyString());
        Map<MailAddress, Exception> outages = new LinkedHashMap<>();
        Map<MailAddress, Exception> failures = new LinkedHashMap<>();
        for (MailAddress recipient : MailEffects.pending(mail, STORED)) {
            try {
                storeFor(recipient, mail, message);
                MailEffects.record(mail, STORED, recipient);
            } catch (Exception e) {
                (DatabaseOutage.isTransient(e) ? outages : failures).put(recipient, e);
            }
        }
        if (!failures.isEmpty()) {
            sendToError(mail, failures);
        }
        if (!outages.isEmpty()) {
            Exception first = outages.values().iterator().next();
            LOGGER.warn("{}: {} recipient(s) could not be stored, database unavailable; stored so far are kept", mail.getName(),
                outages.size());
            throw new MessagingException("Database unavailable while storing " + mail.getName() + " for "
                + outages.size() + " recipient(s)", first);
        }
    }

    /** Return-Path, Delivered-To and the recipient's own headers on the stored copy only, put back afterwards. */
    private void storeFor(MailAddress recipient, Mail mail, MimeMessage message) throws Exception {
        PerRecipientHeaders headers = mail.getPerRecipientSpecificHeaders();
        List<String> names = new ArrayList<>(headers.getHeaderNamesForRecipient(recipient));
        if (!names.contains(DELIVERED_TO)) {
            names.add(DELIVERED_TO);
        }
        Map<String, String[]> saved = new LinkedHashMap<>();
        for (String name : names) {
            saved.put(name, message.getHeader(name));
        }
        try {
            message.addHeader(DELIVERED_TO, recipient.asString());
            for (PerRecipientHeaders.Header header : headers.getHeadersForRecipient(recipient)) {
                if (!(DELIVERED_TO.equalsIgnoreCase(header.getName()) && recipient.asString().equals(header.getValue()))) {
                    message.addHeader(header.getName(), header.getValue());
                }
            }
            store.store(recipient, mail);
        } finally {
            for (Map.Entry<String, String[]> header : saved.entrySet()) {
                message.removeHeader(header.getKey());
                if (header.getValue() != null) {
                    for (String value : header.getValue()) {
                        message.addHeader(header.getKey(), value);
                    }
                }
            }
        }
    }

    /** What cannot be stored for another reason than an outage: those recipients to the error processor. */
    private void sendToError(Mail mail, Map<MailAddress, Exception> failures) throws MessagingException {
        Mail copy = mail.duplicate();
        try {
            copy.setRecipients(List.copyOf(failures.keySet()));
            copy.setErrorMessage("550 5.2.0 Could not store the message: " + String.valueOf(failures.values().iterator().next().getMessage()));
            getMailetContext().sendMail(copy, parameters.errorProcessor());
        } finally {
            LifecycleUtil.dispose(copy);
        }
        List<MailAddress> remaining = mail.getRecipients().stream().filter(r -> !failures.containsKey(r)).toList();
        mail.setRecipients(remaining);
        if (remaining.isEmpty()) {
            mail.setState(Mail.GHOST);
        }
        LOGGER.error("{}: {} recipient(s) could not be stored, sent to {}", mail.getName(), failures.size(),
            parameters.errorProcessor(), failures.values().iterator().next());
    }

    @Override
    public String getMailetInfo() {
        return "Stores the mail into each recipient's INBOX, once per recipient";
    }
}
