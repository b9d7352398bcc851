package fr.mssante.operator.extensions.dmp;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import spark.Service;

import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.OutboxEntry;
import fr.mssante.operator.dmp.outbox.OutboxFilter;
import fr.mssante.operator.dmp.outbox.OutboxState;
import fr.mssante.operator.dmp.outbox.PageRequest;
import fr.mssante.operator.documents.filing.DmpFilingPolicy;
import fr.mssante.operator.documents.filing.FilingRule;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.webadmin.JsonRoute;
import fr.mssante.operator.extensions.webadmin.WebAdminActor;

/**
 * WebAdmin routes (JWT-protected) of DMP filing:
 * <ul>
 *   <li>{@code GET /mss/dmp/policies}; {@code PUT /mss/dmp/policies/{MAILBOX|DOMAIN}/{subject}/{NONE|CR_BIO|ALL_CDA}};
 *       {@code DELETE /mss/dmp/policies/{scope}/{subject}};</li>
 *   <li>{@code GET /mss/dmp/outbox?state=QUEUED,FAILED&mailbox=&offset=&limit=}: the outbox (never the documents);
 *       {@code GET /mss/dmp/outbox/counts};</li>
 *   <li>{@code POST /mss/dmp/outbox/{id}/retry}: "retry now" for a submission that failed and waits for its next
 *       attempt (200 {@code {"id","state":"QUEUED","retry":"SCHEDULED"}}, idempotent; 409 from any other state —
 *       never tried, being sent, or final; 404 unknown). Audited as {@code DMP_RETRY_REQUESTED} with the actor
 *       ({@code console:<login>} from the console) and the Message-ID, never the document.</li>
 * </ul>
 */
public class DmpRoutes implements Routes {
    private final DmpFilingPolicy policy;
    private final DmpOutbox outbox;
    private final MessageEventLog audit;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public DmpRoutes(DmpFilingPolicy policy, DmpOutbox outbox, MessageEventLog audit) {
        this.policy = policy;
        this.outbox = outbox;
        this.audit = audit;
    }

    @Override
    public String getBasePath() {
        return "/mss/dmp";
    }

    @Override
    public void define(Service service) {
        service.get("/mss/dmp/policies", JsonRoute.of((request, response) -> policy.all()), json);
        service.put("/mss/dmp/policies/:scope/:subject/:rule", JsonRoute.of((request, response) -> {
            FilingRule rule = FilingRule.valueOf(request.params("rule").toUpperCase(Locale.ROOT));
            policy.set(request.params("scope"), request.params("subject"), rule);
            return Map.of("scope", request.params("scope").toUpperCase(Locale.ROOT),
                "subject", request.params("subject").toLowerCase(Locale.ROOT), "rule", rule.name());
        }), json);
        service.delete("/mss/dmp/policies/:scope/:subject", JsonRoute.of((request, response) ->
            Map.of("removed", policy.remove(request.params("scope"), request.params("subject")))), json);
        service.get("/mss/dmp/outbox/counts", JsonRoute.of((request, response) -> outbox.countsByState()), json);
        service.get("/mss/dmp/outbox", JsonRoute.of((request, response) -> {
            Set<OutboxState> states = Optional.ofNullable(request.queryParams("state"))
                .map(value -> Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .map(s -> OutboxState.valueOf(s.toUpperCase(Locale.ROOT))).collect(Collectors.toSet()))
                .orElse(Set.of());
            OutboxFilter filter = new OutboxFilter(states, request.queryParams("mailbox"), null, null, null, null);
            int offset = Optional.ofNullable(request.queryParams("offset")).map(Integer::parseInt).orElse(0);
            int limit = Optional.ofNullable(request.queryParams("limit")).map(Integer::parseInt).orElse(50);
            var page = outbox.list(filter, new PageRequest(offset, limit));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("total", page.total());
            body.put("items", page.items().stream().map(DmpRoutes::view).toList());
            return body;
        }), json);
        service.post("/mss/dmp/outbox/:id/retry", JsonRoute.of((request, response) -> {
            long id;
            try {
                id = Long.parseLong(request.params("id"));
            } catch (NumberFormatException e) {
                response.status(400);
                return Map.of("error", "id must be a number");
            }
            DmpOutbox.RetryNow result = outbox.retryNow(id);
            if (result == DmpOutbox.RetryNow.NOT_FOUND) {
                response.status(404);
                return Map.of("error", "no DMP submission " + id);
            }
            OutboxEntry entry = outbox.find(id).orElseThrow();
            if (result == DmpOutbox.RetryNow.NOT_RETRYABLE) {
                response.status(409);
                return Map.of("error", "DMP submission " + id + " is " + entry.state()
                    + (entry.attempts() == 0 ? " and was never tried" : "") + ": only a failed submission waiting for its next attempt can be retried now");
            }
            audit.journal().append(AuditRecord.of("DMP_RETRY_REQUESTED").mailName("dmp-outbox/" + id)
                .actor(WebAdminActor.of(request)).mailbox(entry.mailbox()).messageId(entry.messageId())
                .detail("retry now after " + entry.attempts() + " attempt(s)"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("state", entry.state().name());
            body.put("retry", result.name());
            return body;
        }), json);
    }

    private static Map<String, Object> view(OutboxEntry entry) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", entry.id());
        row.put("messageId", entry.messageId());
        row.put("documentUniqueId", entry.documentUniqueId());
        row.put("mailbox", entry.mailbox());
        row.put("typeCode", entry.typeCode());
        row.put("formatCode", entry.formatCode());
        row.put("title", entry.title());
        row.put("state", entry.state().name());
        row.put("attempts", entry.attempts());
        row.put("lastError", entry.lastError());
        row.put("createdAt", String.valueOf(entry.createdAt()));
        row.put("finishedAt", entry.finishedAt() == null ? null : entry.finishedAt().toString());
        return row;
    }
}
