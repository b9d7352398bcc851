package fr.mssante.operator.extensions.webadmin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.james.webadmin.Routes;
import spark.Request;
import spark.Service;

/**
 * Confines a WebAdmin token that carries the claim {@value #SCOPE_CLAIM} to the routes of that scope (contract B: the
 * health space's token, {@code mss_scope=citizens}, reaches {@code /mss/citizens/…} and nothing else). James's own JWT
 * filter still verifies every token (signature, expiry, admin); this filter only takes rights away, so it reads the
 * claim without verifying it: a forged claim can only narrow what a token may do. It is a global before-filter
 * (every path, James's routes included), registered through {@code extensions.routes} like our routes.
 *
 * <p>A scoped request must name its route plainly: no dot segments, no percent-encoding, no empty segment (Jetty
 * would normalise them after this check could be fooled by them). An unknown scope reaches nothing.
 */
public class ScopedTokenFilter implements Routes {
    public static final String SCOPE_CLAIM = "mss_scope";
    /** Request attribute: the token's subject, for the audit of scoped routes. */
    public static final String SUBJECT = "mss.webadmin.subject";
    /** Each scope and the one route prefix it opens. */
    static final Map<String, String> SCOPES = Map.of("citizens", "/mss/citizens");

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public String getBasePath() {
        return "/mss/token-scope";
    }

    @Override
    public void define(Service service) {
        service.before((request, response) -> refusal(request).ifPresent(reason -> {
            response.type("application/json");
            service.halt(403, "{\"error\":\"" + reason + "\"}");
        }));
    }

    Optional<String> refusal(Request request) {
        Optional<JsonNode> claims = claims(request.headers("Authorization"));
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        JsonNode scope = claims.get().get(SCOPE_CLAIM);
        if (scope == null) {
            return Optional.empty();
        }
        JsonNode subject = claims.get().get("sub");
        if (subject != null && subject.isTextual()) {
            request.attribute(SUBJECT, subject.asText());
        }
        String prefix = scope.isTextual() ? SCOPES.get(scope.asText().toLowerCase(Locale.ROOT)) : null;
        if (prefix == null) {
            return Optional.of("this token's scope opens no route");
        }
        String path = Optional.ofNullable(request.raw().getRequestURI()).orElse("");
        boolean plain = !path.contains("%") && !path.contains("//") && !path.contains("/./") && !path.contains("/../")
            && !path.endsWith("/.") && !path.endsWith("/..") && !path.contains(";");
        if (plain && (path.equals(prefix) || path.startsWith(prefix + "/"))) {
            return Optional.empty();
        }
        return Optional.of("this token is confined to " + prefix);
    }

    private Optional<JsonNode> claims(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return Optional.empty();
        }
        String[] parts = authorization.substring("Bearer ".length()).trim().split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)))
                .filter(JsonNode::isObject);
        } catch (Exception e) {
            // not a JWT we can read: James's filter refuses it
            return Optional.empty();
        }
    }
}
