package fr.mssante.operator.extensions.dmp;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.sql.DataSource;

import org.apache.james.lifecycle.api.Startable;
import org.apache.mailet.MailetContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.OutboxState;
import fr.mssante.operator.dmp.outbox.OutcomeNotice;
import fr.mssante.operator.documents.feedback.DocumentReference;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.documents.feedback.IntegrationErrorNotice;

/**
 * Tells senders when the DMP refused a document or filing gave up: every few seconds, each final failure not yet
 * notified is taken under a PostgreSQL advisory lock (several nodes never notify the same failure at once), the
 * integration error notification (the documents library's code for the registry error: 900 for a replacement of a
 * version that is not the latest, 902 for an unknown patient, 904 for a patient mismatch, 906 otherwise) goes to the sending mailbox through the
 * durable spool, and only then is the failure marked notified: a crash in between repeats a notice, never loses one.
 */
public class DmpOutcomeNotifier implements Startable {
    private static final Logger LOGGER = LoggerFactory.getLogger(DmpOutcomeNotifier.class);
    private static final long PERIOD_SECONDS = 5;

    private static final int LOCK_NAMESPACE = 0x444d504e; // "DMPN"

    private final DmpOutbox outbox;
    private final MailetContext mailetContext;
    private final DataSource dataSource;
    private ScheduledExecutorService scheduler;

    private final AuditJournal journal;
    private final Clock clock;

    @Inject
    public DmpOutcomeNotifier(DmpOutbox outbox, MailetContext mailetContext, DataSource dataSource,
                       AuditJournal journal, Clock clock) {
        this.clock = clock;
        this.outbox = outbox;
        this.mailetContext = mailetContext;
        this.dataSource = dataSource;
        this.journal = journal;
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
        try (Connection locks = dataSource.getConnection()) {
            for (OutcomeNotice notice : outbox.pollOutcomes(50)) {
                if (!lock(locks, notice.id())) {
                    continue;
                }
                try {
                    boolean stillPending = outbox.find(notice.id()).map(entry -> entry.notifiedAt() == null).orElse(false);
                    if (stillPending) {
                        mailetContext.sendMail(notification(notice));
                        outbox.markNotified(notice.id());
                        audit(notice);
                        notified++;
                    }
                } finally {
                    unlock(locks, notice.id());
                }
            }
        } catch (Exception e) {
            LOGGER.error("Could not notify DMP filing outcomes; will retry", e);
        }
        return notified;
    }

    /** DMP_REJECTED / DMP_FAILED: the submission, its document id and the integration error code (never the registry's text). */
    private void audit(OutcomeNotice notice) throws SQLException {
        IntegrationErrorCode error = notice.state() == OutboxState.REJECTED
            ? IntegrationErrorCode.forRegistryError(notice.error()) : IntegrationErrorCode.OTHER;
        journal.append(AuditRecord.of("DMP_" + notice.state().name())
            .mailName("dmp-submission-" + notice.id()).messageId(notice.messageId()).mailbox(notice.mailbox())
            .reason("code " + error.code()).detail("document " + notice.documentUniqueId() + ", " + notice.attempts() + " attempt(s)"));
    }

    /** The volet's integration error MDN, from the documents library's one builder; the original is no longer held. */
    private MimeMessage notification(OutcomeNotice notice) throws MessagingException {
        // the documents library's mapping of registry errors; a transport failure (FAILED) is 906
        IntegrationErrorCode error = notice.state() == OutboxState.REJECTED
            ? IntegrationErrorCode.forRegistryError(notice.error()) : IntegrationErrorCode.OTHER;
        String domain = notice.mailbox().substring(notice.mailbox().indexOf('@') + 1);
        LOGGER.info("DMP filing {} of submission {}: notifying the sender (code {})", notice.state(), notice.id(), error.code());
        String title = Optional.ofNullable(notice.title()).orElse("document");
        return IntegrationErrorNotice.builder(clock)
            .from(new InternetAddress("mailer-daemon@" + domain))
            .to(new InternetAddress(notice.mailbox()))
            .finalRecipient("DMP")
            .originalUnavailable(notice.messageId(), "XDM/1.0/DDM+" + title)
            .code(error)
            .detail(Optional.ofNullable(notice.error()).map(text -> notice.state() == OutboxState.FAILED
                ? "dépôt abandonné après " + notice.attempts() + " tentatives : " + text : text).orElse(null))
            .document(DocumentReference.of(title, notice.documentUniqueId(), null))
            .reportingUa(domain + "; MSSante operator")
            .build(Session.getInstance(new Properties()));
    }

    private static boolean lock(Connection connection, long id) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            lock.setInt(1, LOCK_NAMESPACE);
            lock.setInt(2, (int) id);
            try (ResultSet row = lock.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection, long id) throws SQLException {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            unlock.setInt(1, LOCK_NAMESPACE);
            unlock.setInt(2, (int) id);
            unlock.executeQuery().close();
        }
    }

    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
