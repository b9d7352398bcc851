package fr.mssante.operator.extensions.trustspace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.store.RefreshOutcome;
import fr.mssante.operator.trust.store.RefreshRecord;
import spark.Service;

/**
 * WebAdmin routes of the liste blanche (JWT-protected like all of WebAdmin):
 * {@code GET /mss/trust-list} (what is in force and the last refreshes) and
 * {@code POST /mss/trust-list/refresh} (refresh now; used by {@code ./mss trust-list refresh}), and
 * {@code POST /mss/trust-list/refresh?acceptSmaller=true} ({@code ./mss trust-list refresh --accept-smaller}): an
 * operator accepts, this once, a list that shrank beyond {@code MSS_TRUST_LIST_MIN_RATIO}; audited in the refresh
 * history and as a {@code TRUST_LIST_SMALLER_ACCEPTED} message event.
 * Enabled by {@code extensions.routes} in {@code webadmin.properties}.
 */
public class TrustListRoutes implements Routes {
    static final String BASE = "/mss/trust-list";

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
