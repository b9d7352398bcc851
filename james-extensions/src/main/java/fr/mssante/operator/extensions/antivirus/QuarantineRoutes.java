package fr.mssante.operator.extensions.antivirus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryStore;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.mailet.Mail;
import spark.Request;
import spark.Response;
import spark.Service;

import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.webadmin.JsonRoute;
import fr.mssante.operator.extensions.webadmin.WebAdminActor;

/**
 * WebAdmin routes (JWT-protected) of the antivirus quarantine ({@code jpa://var/mail/quarantine/}), for the operator
 * console. They answer the envelope and the headers of a quarantined message, never its body or attachments:
 * <ul>
 *   <li>{@code GET /mss/quarantine?limit=N}: the quarantined messages (key, envelope, verdict, headers);</li>
 *   <li>{@code GET /mss/quarantine/{key}}: one of them;</li>
 *   <li>{@code POST /mss/quarantine/{key}/release}: an operator judged it harmless: back to the spool in the
 *       {@code transport} processor (after the antivirus), removed from the quarantine, audited as
 *       {@code QUARANTINE_RELEASED} (with its Message-ID and the actor, {@code console:<login>} for the console) before
 *       it moves on ({@code QUARANTINE_RELEASE_FAILED} if the spool refuses it);</li>
 *   <li>{@code DELETE /mss/quarantine/{key}}: deleted for good, audited as {@code QUARANTINE_DELETED}.</li>
 * </ul>
 */
public class QuarantineRoutes implements Routes {
    static final String BASE = "/mss/quarantine";
    static final MailRepositoryUrl QUARANTINE = MailRepositoryUrl.from("jpa://var/mail/quarantine/");
    static final String RELEASE_PROCESSOR = "transport";
    private static final int DEFAULT_LIMIT = 100;

    private final MailRepositoryStore repositories;
    private final MailQueueFactory<?> queues;
    private final MessageEventLog audit;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public QuarantineRoutes(MailRepositoryStore repositories, MailQueueFactory<?> queues, MessageEventLog audit) {
        this.repositories = repositories;
        this.queues = queues;
        this.audit = audit;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, JsonRoute.of((request, response) -> {
            int limit = Optional.ofNullable(request.queryParams("limit")).map(Integer::parseInt).orElse(DEFAULT_LIMIT);
            if (limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("limit must be between 1 and 1000");
            }
            Optional<MailRepository> repository = repositories.get(QUARANTINE);
            List<Map<String, Object>> mails = new ArrayList<>();
            if (repository.isPresent()) {
                Iterator<MailKey> keys = repository.get().list();
                while (keys.hasNext() && mails.size() < limit) {
                    Mail mail = repository.get().retrieve(keys.next());
                    if (mail != null) {
                        mails.add(view(mail));
                    }
                }
            }
            return mails;
        }), json);
        service.get(BASE + "/:key", JsonRoute.of((request, response) -> {
            Optional<Mail> mail = find(request);
            if (mail.isEmpty()) {
                return notFound(request, response);
            }
            return view(mail.get());
        }), json);
        service.post(BASE + "/:key/release", JsonRoute.of((request, response) -> {
            Optional<Mail> found = find(request);
            if (found.isEmpty()) {
                return notFound(request, response);
            }
            Mail mail = found.get();
            MailQueue spool = queues.getQueue(MailQueueFactory.SPOOL)
                .orElseThrow(() -> new IllegalStateException("no spool queue"));
            // recorded before the mail moves on, so that the trail reads in order (released, then delivered)
            audit.journal().append(record("QUARANTINE_RELEASED", mail, request, "released to " + RELEASE_PROCESSOR));
            mail.setState(RELEASE_PROCESSOR);
            try {
                spool.enQueue(mail);
            } catch (RuntimeException | MessagingException e) {
                audit.journal().append(record("QUARANTINE_RELEASE_FAILED", mail, request, "still in quarantine: "
                    + e.getClass().getSimpleName()));
                throw e;
            }
            repositories.select(QUARANTINE).remove(new MailKey(request.params("key")));
            return Map.of("released", request.params("key"));
        }), json);
        service.delete(BASE + "/:key", JsonRoute.of((request, response) -> {
            Optional<Mail> found = find(request);
            if (found.isEmpty()) {
                return notFound(request, response);
            }
            repositories.select(QUARANTINE).remove(new MailKey(request.params("key")));
            audit.journal().append(record("QUARANTINE_DELETED", found.get(), request, "deleted"));
            return Map.of("deleted", request.params("key"));
        }), json);
    }

    private Optional<Mail> find(Request request) throws Exception {
        Optional<MailRepository> repository = repositories.get(QUARANTINE);
        if (repository.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(repository.get().retrieve(new MailKey(request.params("key"))));
    }

    private static Map<String, String> notFound(Request request, Response response) {
        response.status(404);
        return Map.of("error", "no quarantined message " + request.params("key"));
    }

    /** The audit row of a release or deletion: the message's identifiers and envelope, and who did it. */
    private static AuditRecord record(String type, Mail mail, Request request, String detail) throws MessagingException {
        String actor = WebAdminActor.of(request);
        return AuditRecord.of(type).mailName(mail.getName()).actor(actor).messageId(mail.getMessage().getMessageID())
            .sender(mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null))
            .recipients(mail.getRecipients().stream().map(MailAddress::asString).toList()).peer(mail.getRemoteAddr())
            .sizeBytes(mail.getMessageSize()).detail(detail);
    }

    /** Envelope, verdict and headers: never the body. */
    private static Map<String, Object> view(Mail mail) throws MessagingException {
        Map<String, Object> body = new LinkedHashMap<>();
        MimeMessage message = mail.getMessage();
        body.put("key", mail.getName());
        body.put("messageId", message.getMessageID());
        body.put("sender", mail.getMaybeSender().asOptional().map(MailAddress::asString).orElse(null));
        body.put("recipients", mail.getRecipients().stream().map(MailAddress::asString).toList());
        body.put("remoteAddress", mail.getRemoteAddr());
        body.put("error", mail.getAttribute(ScanForViruses.SIGNATURE).map(attribute -> String.valueOf(attribute.getValue().value()))
            .orElse(mail.getErrorMessage()));
        body.put("lastUpdated", mail.getLastUpdated() == null ? null : mail.getLastUpdated().toInstant().toString());
        body.put("size", mail.getMessageSize());
        List<Map<String, String>> headers = new ArrayList<>();
        for (Header header : Collections.list(message.getAllHeaders())) {
            headers.add(Map.of("name", header.getName(), "value", header.getValue()));
        }
        body.put("headers", headers);
        return body;
    }
}
