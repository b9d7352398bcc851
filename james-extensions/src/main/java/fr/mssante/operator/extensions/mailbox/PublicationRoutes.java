package fr.mssante.operator.extensions.mailbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import spark.Service;

import fr.mssante.operator.directory.publication.Depublication;
import fr.mssante.operator.directory.publication.DepublicationDecision;
import fr.mssante.operator.directory.publication.MailboxPublication;
import fr.mssante.operator.directory.publication.PublicationAudience;
import fr.mssante.operator.directory.publication.UnusedMailboxPolicy;
import fr.mssante.operator.extensions.webadmin.JsonRoute;
import fr.mssante.operator.register.MailboxRegistry;
import fr.mssante.operator.register.RegisterPublicationSource;

/**
 * WebAdmin routes (JWT-protected) of publication in the national directory:
 * <ul>
 *   <li>{@code GET /mss/publication/export?audience=NATIONAL_DIRECTORY|PUBLIC}: our mailboxes as a FHIR Bundle (the
 *       directory's mailbox metadata extension; red-listed ones flagged for the national directory, left out for
 *       anyone else);</li>
 *   <li>{@code POST /mss/publication/depublish}: applies the dépublication policy now (also run daily), answers the
 *       decisions; each one is audited in the mailbox's history.</li>
 * </ul>
 */
public class PublicationRoutes implements Routes {
    private final RegisterPublicationSource source;
    private final MailboxRegistry registry;
    private final UnusedMailboxPolicy policy;
    private final Clock clock;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public PublicationRoutes(RegisterPublicationSource source, MailboxRegistry registry, UnusedMailboxPolicy policy, Clock clock) {
        this.source = source;
        this.registry = registry;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public String getBasePath() {
        return "/mss/publication";
    }

    @Override
    public void define(Service service) {
        service.get("/mss/publication/export", (request, response) -> {
            PublicationAudience audience = PublicationAudience.valueOf(Optional.ofNullable(request.queryParams("audience"))
                .orElse("NATIONAL_DIRECTORY").toUpperCase(Locale.ROOT));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new MailboxPublication(clock).write(source.mailboxes(), audience, out);
            response.type("application/fhir+json");
            return out.toString(StandardCharsets.UTF_8);
        });
        service.post("/mss/publication/depublish", JsonRoute.of((request, response) ->
            apply(registry, source, policy, clock).stream().map(decision -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("address", decision.address());
                row.put("reason", decision.reason().name());
                row.put("lastActivity", decision.lastActivity() == null ? null : decision.lastActivity().toString());
                return row;
            }).toList()), json);
    }

    /** Decides and applies dépublication (audited as UNPUBLISHED with its reason); returns what changed. */
    public static List<DepublicationDecision> apply(MailboxRegistry registry, RegisterPublicationSource source,
                                                    UnusedMailboxPolicy policy, Clock clock) throws Exception {
        List<DepublicationDecision> applied = new ArrayList<>();
        for (DepublicationDecision decision : new Depublication(policy, clock).decide(source)) {
            String reason = decision.reason() == DepublicationDecision.Reason.NEVER_USED
                ? "never used since " + decision.unusedSince() + " (policy " + policy.unusedFor() + ")"
                : "no activity since " + decision.lastActivity() + " (policy " + policy.unusedFor() + ")";
            if (registry.unpublish(decision.address(), reason, "depublication")) {
                applied.add(decision);
            }
        }
        return applied;
    }
}
