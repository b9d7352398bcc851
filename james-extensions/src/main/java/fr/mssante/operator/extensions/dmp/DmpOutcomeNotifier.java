package fr.mssante.operator.extensions.dmp;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.mail.internet.MimeMessage;

import org.apache.james.lifecycle.api.Startable;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.dmp.outbox.OutcomeNotice;
import fr.mssante.operator.dmp.outbox.OutboxState;

/**
 * Tells senders when the DMP refused a document or filing gave up: every few seconds, final failures not yet
 * notified are claimed ({@code markNotified} first, so that several nodes never notify twice) and an integration error
 * notification (code 902 for an unknown patient, 906 otherwise) goes to the sending mailbox through the durable spool.
 */
public class DmpOutcomeNotifier implements Startable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DmpOutcomeNotifier.class);
    private static final long PERIOD_SECONDS = 5;

    private final DmpOutbox outbox;
    private final MailetContext mailetContext;
    private ScheduledExecutorService scheduler;

    @Inject
    public DmpOutcomeNotifier(DmpOutbox outbox, MailetContext mailetContext) {
        this.outbox = outbox;
        this.mailetContext = mailetContext;
    }

    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dmp-outcome-notifier");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::notifyOutcomes, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    /** One pass (also called by tests). @return how many senders were notified */
    public int notifyOutcomes() {
        int notified = 0;
        try {
            for (OutcomeNotice notice : outbox.pollOutcomes(50)) {
                if (!outbox.markNotified(notice.id())) {
                    continue;
                }
                IntegrationErrorCode error = notice.state() == OutboxState.REJECTED
                    && notice.error() != null && notice.error().contains("XDSUnknownPatientId")
                    ? IntegrationErrorCode.UNKNOWN_PATIENT : IntegrationErrorCode.OTHER;
                String domain = notice.mailbox().substring(notice.mailbox().indexOf('@') + 1);
                MimeMessage notification = IntegrationErrorNotification.build(error, domain, notice.mailbox(), "DMP",
                    Optional.ofNullable(notice.title()).orElse("document"), notice.messageId(),
                    Optional.ofNullable(notice.title()).orElse("document"), notice.documentUniqueId(),
                    Optional.ofNullable(notice.error()).map(text -> notice.state() == OutboxState.FAILED
                        ? "dépôt abandonné après " + notice.attempts() + " tentatives : " + text : text));
                mailetContext.sendMail(notification);
                notified++;
                LOGGER.info("DMP filing {} of submission {}: sender notified (code {})", notice.state(), notice.id(), error.code());
            }
        } catch (Exception e) {
            LOGGER.error("Could not notify DMP filing outcomes; will retry", e);
        }
        return notified;
    }

    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
