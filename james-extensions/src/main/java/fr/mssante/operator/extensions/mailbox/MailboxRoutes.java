package fr.mssante.operator.extensions.mailbox;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import spark.Request;
import spark.Service;

import fr.mssante.operator.extensions.webadmin.JsonRoute;
import fr.mssante.operator.extensions.webadmin.WebAdminActor;
import fr.mssante.operator.register.AccessRole;
import fr.mssante.operator.register.MailboxRecord;
import fr.mssante.operator.register.MailboxRegistry;
import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

/**
 * WebAdmin routes (JWT-protected) of the mailbox register. The acting operator is the token's subject ({@link WebAdminActor}), never a header alone
 * (recorded in the audit trail; {@code webadmin} when absent).
 * <ul>
 *   <li>{@code PUT /mss/mailboxes/{address}?kind=PER|ORG|APP|CAB&holder=ID[&description=&service=&listeRouge=&rank=]}
 *       creates; on an existing mailbox updates description, service, listeRouge and rank (kind and holder are
 *       immutable);</li>
 *   <li>{@code GET /mss/mailboxes/{address}}, {@code GET /mss/mailboxes/{address}/history};</li>
 *   <li>{@code PUT /mss/mailboxes/{address}/state/{ACTIVE|SUSPENDED|CLOSED}};</li>
 *   <li>{@code PUT|DELETE /mss/mailboxes/{address}/access/{identity}/{CO_HOLDER|DELEGATE_READ|DELEGATE_SEND}};</li>
 *   <li>{@code GET /mss/identities/{nationalId}/mailboxes};</li>
 *   <li>{@code GET /mss/mailboxes?offset=&limit=} (the register, by address) and
 *       {@code GET /mss/mailboxes/{address}/access} (its co-holders and delegates), for the operator console.</li>
 * </ul>
 */
public class MailboxRoutes implements Routes {
    static final String BASE = "/mss/mailboxes";

    private final MailboxRegistry registry;
    private final Clock clock;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public MailboxRoutes(MailboxRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.put(BASE + "/:address", JsonRoute.of((request, response) -> {
            String address = request.params("address");
            Optional<String> description = Optional.ofNullable(request.queryParams("description"));
            Optional<String> serviceName = Optional.ofNullable(request.queryParams("service"));
            boolean listeRouge = Boolean.parseBoolean(request.queryParams("listeRouge"));
            Optional<Integer> rank = Optional.ofNullable(request.queryParams("rank")).map(Integer::valueOf);
            if (registry.find(address).isPresent()) {
                registry.update(address, description, serviceName, listeRouge, rank, actor(request));
            } else {
                registry.create(new MailboxRecord(address, MailboxKind.valueOf(required(request, "kind").toUpperCase(Locale.ROOT)),
                    required(request, "holder"), description, serviceName, listeRouge, rank, MailboxState.ACTIVE,
                    clock.instant(), Optional.empty()), actor(request));
                response.status(201);
            }
            return view(registry.find(address).orElseThrow());
        }), json);
        service.get(BASE + "/:address", JsonRoute.of((request, response) -> {
            Optional<MailboxRecord> mailbox = registry.find(request.params("address"));
            if (mailbox.isEmpty()) {
                response.status(404);
                return Map.of("error", "no mailbox " + request.params("address"));
            }
            return view(mailbox.get());
        }), json);
        service.get(BASE, JsonRoute.of((request, response) -> {
            int offset = Optional.ofNullable(request.queryParams("offset")).map(Integer::parseInt).orElse(0);
            int limit = Optional.ofNullable(request.queryParams("limit")).map(Integer::parseInt).orElse(100);
            if (offset < 0 || limit < 1 || limit > 1000) {
                throw new IllegalArgumentException("offset >= 0 and 1 <= limit <= 1000");
            }
            return registry.list(offset, limit).stream().map(MailboxRoutes::view).toList();
        }), json);
        service.get(BASE + "/:address/access", JsonRoute.of((request, response) -> registry.grantsOf(request.params("address"))
            .stream().map(grant -> Map.of("identity", grant.identity(), "role", grant.role().name())).toList()), json);
        service.get(BASE + "/:address/history", JsonRoute.of((request, response) -> {
            return registry.history(request.params("address"));
        }), json);
        service.put(BASE + "/:address/state/:state", JsonRoute.of((request, response) -> {
            registry.changeState(request.params("address"), MailboxState.valueOf(request.params("state").toUpperCase(Locale.ROOT)),
                actor(request));
            return view(registry.find(request.params("address")).orElseThrow());
        }), json);
        service.put(BASE + "/:address/access/:identity/:role", JsonRoute.of((request, response) -> {
            registry.grant(request.params("address"), request.params("identity"), role(request), actor(request));
            return Map.of("granted", role(request).name());
        }), json);
        service.delete(BASE + "/:address/access/:identity/:role", JsonRoute.of((request, response) -> {
            registry.revoke(request.params("address"), request.params("identity"), role(request), actor(request));
            return Map.of("revoked", role(request).name());
        }), json);
        service.get("/mss/identities/:identity/mailboxes", JsonRoute.of((request, response) -> {
            return registry.accessOf(request.params("identity")).stream()
                .map(access -> Map.of("address", access.address(), "role", access.role().name()))
                .toList();
        }), json);
    }

    private static Map<String, Object> view(MailboxRecord mailbox) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("address", mailbox.address());
        body.put("kind", mailbox.kind().name());
        body.put("holder", mailbox.holderId());
        body.put("description", mailbox.description().orElse(null));
        body.put("service", mailbox.service().orElse(null));
        body.put("listeRouge", mailbox.listeRouge());
        body.put("rank", mailbox.preferredRank().orElse(null));
        body.put("state", mailbox.state().name());
        body.put("createdAt", mailbox.createdAt().toString());
        return body;
    }

    private static String required(Request request, String name) {
        String value = request.queryParams(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("query parameter '" + name + "' is required to create a mailbox");
        }
        return value;
    }

    private static AccessRole role(Request request) {
        return AccessRole.valueOf(request.params("role").toUpperCase(Locale.ROOT));
    }

    private static String actor(Request request) {
        return WebAdminActor.of(request);
    }
}
