package fr.mssante.operator.extensions.trustspace;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import spark.Service;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.list.TrustListEntry;
import fr.mssante.operator.trust.space.TrustSpace;
import fr.mssante.operator.trust.store.RefreshOutcome;
import fr.mssante.operator.trust.store.RefreshRecord;

/**
 * WebAdmin routes of the liste blanche (JWT-protected like all of WebAdmin):
 * {@code GET /mss/trust-list} (what is in force and the last refreshes),
 * {@code GET /mss/trust-list/entries?q=&limit=} (the entries in force — domain, operator certificate DN, description,
 * date of update — whose domain or DN contains {@code q}, case-insensitively; at most {@code limit}, 200 by default,
 * 1000 at most; with the total, the number matched and the list's source, i.e. the refresh that brought the list in
 * force, found by its SHA-256) and
 * {@code POST /mss/trust-list/refresh} (refresh now; used by {@code ./mss trust-list refresh}), and
 * {@code POST /mss/trust-list/refresh?acceptSmaller=true} ({@code ./mss trust-list refresh --accept-smaller}): an
 * operator accepts, this once, a list that shrank beyond {@code MSS_TRUST_LIST_MIN_RATIO}; audited in the refresh
 * history and as a {@code TRUST_LIST_SMALLER_ACCEPTED} message event.
 * Enabled by {@code extensions.routes} in {@code webadmin.properties}.
 */
public class TrustListRoutes implements Routes {
    static final String BASE = "/mss/trust-list";
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;

    private final TrustSpace trustSpace;
    private final MessageEventLog audit;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public TrustListRoutes(TrustSpace trustSpace, MessageEventLog audit) {
        this.trustSpace = trustSpace;
        this.audit = audit;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.get(BASE, (request, response) -> {
            response.type("application/json");
            TrustList list = trustSpace.current();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("entries", list.entryCount());
            body.put("domains", list.domainCount());
            body.put("pairs", list.pairCount());
            body.put("generatedAt", list.generatedAt().map(Object::toString).orElse(null));
            body.put("recentRefreshes", trustSpace.recentRefreshes(20).stream().map(TrustListRoutes::asMap).toList());
            return body;
        }, json);
        service.get(BASE + "/entries", (request, response) -> {
            response.type("application/json");
            int limit;
            try {
                limit = Optional.ofNullable(request.queryParams("limit")).map(String::trim).map(Integer::parseInt).orElse(DEFAULT_LIMIT);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                response.status(400);
                return Map.of("error", "limit must be between 1 and " + MAX_LIMIT);
            }
            String filter = Optional.ofNullable(request.queryParams("q")).map(String::trim).orElse("").toLowerCase(Locale.ROOT);
            TrustList list = trustSpace.current();
            List<TrustListEntry> matched = list.entries().stream()
                .filter(entry -> filter.isEmpty() || entry.domain().toLowerCase(Locale.ROOT).contains(filter)
                    || entry.dn().original().toLowerCase(Locale.ROOT).contains(filter))
                .sorted(Comparator.comparing(TrustListEntry::domain).thenComparing(entry -> entry.dn().original()))
                .toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("total", list.entryCount());
            body.put("matched", matched.size());
            body.put("source", trustSpace.recentRefreshes(50).stream()
                .filter(record -> list.sha256() != null && list.sha256().equals(record.sha256())
                    && record.outcome() == RefreshOutcome.UPDATED)
                .map(RefreshRecord::source).findFirst().orElse(null));
            body.put("generatedAt", list.generatedAt().map(Object::toString).orElse(null));
            body.put("entries", matched.stream().limit(limit).map(TrustListRoutes::asMap).toList());
            return body;
        }, json);
        service.post(BASE + "/refresh", (request, response) -> {
            response.type("application/json");
            String acceptSmaller = request.queryParams("acceptSmaller");
            if (acceptSmaller != null && !acceptSmaller.equals("true") && !acceptSmaller.equals("false")) {
                response.status(400);
                return Map.of("error", "acceptSmaller must be true or false");
            }
            boolean explicit = "true".equals(acceptSmaller);
            RefreshRecord record = trustSpace.refreshNow(explicit);
            if (explicit && record.outcome() == RefreshOutcome.UPDATED && record.reason().contains("accepted explicitly")) {
                audit.append(new MessageEvent("TRUST_LIST_SMALLER_ACCEPTED", "trust-list", Optional.empty(), Optional.empty(),
                    List.of(), Optional.ofNullable(request.ip()), 0,
                    Optional.of(record.source() + ": " + record.entryCount() + " entries, " + record.reason())));
            }
            return asMap(record);
        }, json);
    }

    private static Map<String, Object> asMap(TrustListEntry entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("domain", entry.domain());
        map.put("dn", entry.dn().original());
        map.put("description", entry.description());
        map.put("updatedAt", entry.updatedAt() == null ? null : entry.updatedAt().toString());
        return map;
    }

    private static Map<String, Object> asMap(RefreshRecord record) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("startedAt", String.valueOf(record.startedAt()));
        map.put("finishedAt", String.valueOf(record.finishedAt()));
        map.put("source", record.source());
        map.put("outcome", String.valueOf(record.outcome()));
        map.put("reason", record.reason());
        map.put("entries", record.entryCount());
        map.put("added", record.added());
        map.put("removed", record.removed());
        map.put("sha256", record.sha256());
        return map;
    }

}
