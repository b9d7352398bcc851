package fr.mssante.operator.extensions.antivirus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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

import fr.mssante.operator.documents.antivirus.VirusScanner;
import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;

/**
 * Every message is scanned whole by ClamAV (clamd decodes MIME, base64 and ZIP itself) before it goes anywhere:
 * <ul>
 *   <li>clean: {@code mss.antivirus = CLEAN}, the mail goes on;</li>
 *   <li>infected, or unscannable (too large for clamd, clamd error): {@code mss.antivirus.signature} is set and the
 *       mail goes to {@code quarantineProcessor} (kept in a repository, the sender told);</li>
 *   <li>scanner unavailable: the mail goes back to the durable spool queue with {@code retryDelay} and this processor
 *       as its state — never delivered unscanned, never lost, retried until clamd answers.</li>
 * </ul>
 * <pre>{@code <mailet match="All" class="fr.mssante.operator.extensions.antivirus.ScanForViruses">
 *   <quarantineProcessor>quarantine</quarantineProcessor>
 *   <retryDelay>PT1M</retryDelay>
 * </mailet>}</pre>
 */
public class ScanForViruses extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(ScanForViruses.class);
    public static final AttributeName VERDICT = AttributeName.of("mss.antivirus");
    public static final AttributeName SIGNATURE = AttributeName.of("mss.antivirus.signature");
    public static final AttributeName WAITS = AttributeName.of("mss.antivirus.waits");

    record Parameters(String quarantineProcessor, Duration retryDelay) {
    }

    private final VirusScanner scanner;
    private final MailQueueFactory<? extends MailQueue> queues;
    private final MessageEventLog audit;
    private Parameters parameters;
    private MailQueue spool;

    @Inject
    public ScanForViruses(VirusScanner scanner, MailQueueFactory<? extends MailQueue> queues, MessageEventLog audit) {
        this.scanner = scanner;
        this.queues = queues;
        this.audit = audit;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of("quarantineProcessor", "retryDelay"));
        try {
            parameters = new Parameters(getInitParameter("quarantineProcessor", "quarantine"),
                Duration.parse(getInitParameter("retryDelay", "PT1M")));
        } catch (DateTimeParseException e) {
            throw new MessagingException(getMailetName() + ": retryDelay must be an ISO-8601 duration such as PT1M");
        }
        spool = queues.createQueue(MailQueueFactory.SPOOL);
        if (!scanner.enabled()) {
            LOGGER.warn("Antivirus scanning is NOT configured (MSS_CLAMD_ADDRESS): development only");
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (!scanner.enabled()) {
            mail.setAttribute(new Attribute(VERDICT, AttributeValue.of("NOT_SCANNED")));
            return;
        }
        VirusScanner.Verdict verdict;
        try (InputStream content = rawMessage(mail)) {
            verdict = scanner.scan(content);
        } catch (Exception e) {
            verdict = new VirusScanner.Verdict.Unavailable(e.getClass().getSimpleName());
        }
        if (verdict instanceof VirusScanner.Verdict.Clean) {
            mail.setAttribute(new Attribute(VERDICT, AttributeValue.of("CLEAN")));
        } else if (verdict instanceof VirusScanner.Verdict.Infected infected) {
            mail.setAttribute(new Attribute(VERDICT, AttributeValue.of("INFECTED")));
            mail.setAttribute(new Attribute(SIGNATURE, AttributeValue.of(infected.signature())));
            LOGGER.warn("Virus {} found in {}: quarantined", infected.signature(), mail.getName());
            mail.setState(parameters.quarantineProcessor());
        } else if (verdict instanceof VirusScanner.Verdict.Unscannable unscannable) {
            mail.setAttribute(new Attribute(VERDICT, AttributeValue.of("UNSCANNABLE")));
            mail.setAttribute(new Attribute(SIGNATURE, AttributeValue.of("UNSCANNABLE " + unscannable.reason())));
            LOGGER.warn("{} cannot be scanned ({}): quarantined", mail.getName(), unscannable.reason());
            mail.setState(parameters.quarantineProcessor());
        } else {
            String reason = ((VirusScanner.Verdict.Unavailable) verdict).reason();
            int waits = mail.getAttribute(WAITS).flatMap(a -> a.getValue().valueAs(Integer.class)).orElse(0) + 1;
            Mail again = mail.duplicate();
            try {
                again.setAttribute(new Attribute(WAITS, AttributeValue.of(waits)));
                again.setState(mail.getState());
                spool.enQueue(again, parameters.retryDelay());
            } finally {
                LifecycleUtil.dispose(again);
            }
            if (waits == 1 || waits % 60 == 0) {
                record(mail, "ANTIVIRUS_WAIT", "scanner unavailable (" + reason + "), wait " + waits);
            }
            LOGGER.warn("Antivirus unavailable ({}): {} waits {} (wait {})", reason, mail.getName(), parameters.retryDelay(), waits);
            mail.setState(Mail.GHOST);
        }
    }

    private static InputStream rawMessage(Mail mail) throws MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            mail.getMessage().writeTo(out);
        } catch (IOException e) {
            throw new MessagingException("cannot serialise the message", e);
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    private void record(Mail mail, String event, String detail) {
        try {
            audit.append(new MessageEvent(event, mail.getName(), messageId(mail), mail.getMaybeSender().asOptional().map(Object::toString),
                mail.getRecipients().stream().map(Object::toString).toList(),
                Optional.ofNullable(mail.getRemoteAddr()), mail.getMessageSize(), Optional.of(detail)));
        } catch (Exception e) {
            LOGGER.error("Cannot record the {} event of {}", event, mail.getName(), e);
        }
    }

    private static Optional<String> messageId(Mail mail) {
        try {
            return Optional.ofNullable(mail.getMessage().getMessageID());
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getMailetInfo() {
        return "Scans every message with ClamAV; quarantines infected mail; holds mail while the scanner is unavailable";
    }
}
