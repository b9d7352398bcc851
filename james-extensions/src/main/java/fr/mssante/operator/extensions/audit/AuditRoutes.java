package fr.mssante.operator.extensions.audit;

import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;
import spark.Service;

import fr.mssante.operator.audit.AuditActor;
import fr.mssante.operator.audit.AuditCsv;
import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.AuditQuery;
import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.audit.AuditRow;
import fr.mssante.operator.audit.AuditTypes;
import fr.mssante.operator.extensions.webadmin.JsonRoute;
import fr.mssante.operator.extensions.webadmin.WebAdminActor;

/**
 * The audit trail on WebAdmin (contract A), and the filter that audits every administrative change:
 * <ul>
 *   <li>{@code GET /mss/audit/events?mailbox=&messageId=&type=&from=&to=&limit=&offset=}: JSON rows, newest first
 *       ({@code type} repeatable, ISO-8601 instants, {@code limit} default 100, at most 10 000);</li>
 *   <li>{@code GET /mss/audit/events.csv?...}: the same as CSV (RFC 4180, header line; {@code limit} default 10 000);</li>
 *   <li>{@code GET /mss/audit/types}, {@code GET /mss/audit/hourly?hours=24}.</li>
 * </ul>
 * Every POST, PUT, PATCH and DELETE on WebAdmin (any route family, ours or James's, answered or refused) writes one
 * {@code ADMIN_CHANGE} row: who ({@link AuditActor}: {@code console:<login>} only for the console's token),
 * method and path (the target ids), the {@code Location} of what it created, the HTTP status. Never a request body.
 */
public class AuditRoutes implements Routes {
    static final String BASE = "/mss/audit";
    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Logger LOGGER = LoggerFactory.getLogger(AuditRoutes.class);

    private final AuditJournal journal;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public AuditRoutes(AuditJournal journal) {
        this.journal = journal;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE + "/events", JsonRoute.of((request, response) ->
            journal.search(query(request, AuditQuery.DEFAULT_LIMIT)).stream().map(AuditRoutes::asMap).toList()), json);
        service.get(BASE + "/events.csv", (request, response) -> {
            AuditQuery query;
            try {
                query = query(request, AuditQuery.MAX_LIMIT);
            } catch (IllegalArgumentException e) {
                response.status(400);
                response.type("text/plain; charset=utf-8");
                return e.getMessage();
            }
            StringWriter csv = new StringWriter();
            AuditCsv.write(journal.search(query), csv);
            response.type("text/csv; charset=utf-8");
            response.header("Content-Disposition", "attachment; filename=\"audit.csv\"");
            return csv.toString();
        });
        service.get(BASE + "/types", JsonRoute.of((request, response) -> journal.types()), json);
        service.get(BASE + "/hourly", JsonRoute.of((request, response) -> {
            int hours = integer(request, "hours", 24);
            return journal.hourly(hours).stream().map(hour -> {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("hour", hour.hour().toString());
                map.put("accepted", hour.accepted());
                map.put("refused", hour.refused());
                map.put("delivered", hour.delivered());
                map.put("bounced", hour.bounced());
                return map;
            }).toList();
        }), json);
        // after everything, even a refusal by the JWT filter or an exception: one row per administrative request
        service.afterAfter(this::auditChange);
    }

    void auditChange(Request request, Response response) {
        if (!CHANGES.contains(request.requestMethod())) {
            return;
        }
        int status = response.raw().getStatus();
        String path = request.uri();
        String location = response.raw().getHeader("Location");
        String actor = WebAdminActor.of(request);
        AuditRecord record = AuditRecord.of(AuditTypes.ADMIN_CHANGE).mailName("webadmin").actor(actor)
            .mailbox(targetMailbox(path).orElse(null)).peer(request.ip())
            .outcome(status < 400 ? AuditTypes.SUCCESS : AuditTypes.FAILURE).reason("HTTP " + status)
            .detail(request.requestMethod() + " " + path + (location == null ? "" : " created " + location));
        try {
            journal.append(record);
        } catch (SQLException | RuntimeException e) {
            LOGGER.error("Could not audit the administrative change {} {} by {} (HTTP {})", request.requestMethod(), path,
                actor, status, e);
        }
    }

    /** The first path segment that is an address (a mailbox, a user, a delegate...), decoded. */
    static Optional<String> targetMailbox(String path) {
        return Arrays.stream(path.split("/"))
            .map(segment -> URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
            .filter(segment -> segment.indexOf('@') > 0 && segment.indexOf('@') < segment.length() - 1)
            .findFirst();
    }

    private static AuditQuery query(Request request, int defaultLimit) {
        List<String> types = Optional.ofNullable(request.queryParamsValues("type")).map(Arrays::asList).orElse(List.of())
            .stream().flatMap(value -> Arrays.stream(value.split(","))).map(String::trim).filter(value -> !value.isEmpty())
            .toList();
        return new AuditQuery(Optional.ofNullable(request.queryParams("mailbox")),
            Optional.ofNullable(request.queryParams("messageId")), types, instant(request, "from"), instant(request, "to"),
            integer(request, "limit", defaultLimit), integer(request, "offset", 0));
    }

    private static Optional<Instant> instant(Request request, String name) {
        String value = request.queryParams(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + name + "' must be an ISO-8601 instant such as 2026-12-07T08:00:00Z");
        }
    }

    private static int integer(Request request, String name, int defaultValue) {
        String value = request.queryParams(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' must be an integer");
        }
    }

    static Map<String, Object> asMap(AuditRow row) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", row.id());
        map.put("at", row.at().toString());
        map.put("type", row.type());
        map.put("actor", row.actor());
        map.put("mailbox", row.mailbox());
        map.put("messageId", row.messageId());
        map.put("peer", row.peer());
        map.put("outcome", row.outcome());
        map.put("reason", row.reason());
        map.put("detail", row.detail());
        return map;
    }
}
