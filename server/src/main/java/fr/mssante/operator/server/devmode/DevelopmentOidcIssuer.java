package fr.mssante.operator.server.devmode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for Pro Santé Connect in development: discovery document, JWKS and a token endpoint (resource-owner
 * password grant) that issues a 5-minute RS256 access token whose {@code SubjectNameID} is the demo mailbox holder's
 * national id ({@code var/dev/demo-identities.properties}), checked against {@code var/dev/demo-credentials.properties}.
 * Loopback only; never started in production.
 *
 * <pre>curl -s -d grant_type=password -d username=alice.martin@demo.mss.test -d password=... \
 *   http://127.0.0.1:18091/realms/mss-dev/protocol/openid-connect/token</pre>
 */
public final class DevelopmentOidcIssuer implements AutoCloseable {
    public static final String AUDIENCE = "mss-dev";
    private static final Logger LOGGER = LoggerFactory.getLogger(DevelopmentOidcIssuer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REALM = "/realms/mss-dev";
    private static final Duration LIFETIME = Duration.ofMinutes(5);

    private final HttpServer server;
    private final JwtSigner signer = new JwtSigner("mss-dev-" + UUID.randomUUID().toString().substring(0, 8));
    private final Path devDirectory;
    private final Clock clock;
    private final String base;

    private DevelopmentOidcIssuer(HttpServer server, Path devDirectory, Clock clock) {
        this.server = server;
        this.devDirectory = devDirectory;
        this.clock = clock;
        this.base = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    public static DevelopmentOidcIssuer start(String bindAddress, int port, Path devDirectory, Clock clock) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        DevelopmentOidcIssuer issuer = new DevelopmentOidcIssuer(server, devDirectory, clock);
        server.createContext(REALM + "/.well-known/openid-configuration", exchange -> issuer.answer(exchange, 200, issuer.discovery()));
        server.createContext(REALM + "/protocol/openid-connect/certs", exchange -> issuer.answer(exchange, 200, issuer.signer.jwks()));
        server.createContext(REALM + "/protocol/openid-connect/token", issuer::token);
        server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "dev-oidc-issuer");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        LOGGER.info("Development OIDC issuer on {}", issuer.issuer());
        return issuer;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String issuer() {
        return base + REALM;
    }

    public String jwksUrl() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    public String tokenUrl() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** An access token for a national id, as PSC would issue it (tests use this directly). */
    public String accessToken(String nationalId) {
        return signer.sign(claims(nationalId));
    }

    /** Any claims, signed with the issuer's key (tests: expired, wrong audience...). */
    public String sign(Map<String, Object> claims) {
        return signer.sign(claims);
    }

    public Map<String, Object> claims(String nationalId) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer());
        claims.put("aud", AUDIENCE);
        claims.put("sub", UUID.nameUUIDFromBytes(nationalId.getBytes(StandardCharsets.UTF_8)).toString());
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + LIFETIME.toSeconds());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("azp", "mss-dev-client");
        claims.put("scope", "openid scope_all");
        claims.put("SubjectNameID", nationalId);
        return claims;
    }

    private String discovery() throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer());
        document.put("jwks_uri", jwksUrl());
        document.put("token_endpoint", tokenUrl());
        document.put("grant_types_supported", List.of("password"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        return JSON.writeValueAsString(document);
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            answer(exchange, 405, "{\"error\":\"invalid_request\"}");
            return;
        }
        Map<String, String> form = form(exchange.getRequestBody());
        String username = form.getOrDefault("username", "").trim().toLowerCase(Locale.ROOT);
        Properties credentials = properties(devDirectory.resolve(DemoData.CREDENTIALS_FILE));
        Properties identities = properties(devDirectory.resolve(DemoData.IDENTITIES_FILE));
        boolean good = "password".equals(form.get("grant_type")) && identities.containsKey(username)
            && MessageDigest.isEqual(credentials.getProperty(username, "\u0000").getBytes(StandardCharsets.UTF_8),
                form.getOrDefault("password", "").getBytes(StandardCharsets.UTF_8));
        if (!good) {
            answer(exchange, 401, "{\"error\":\"invalid_grant\"}");
            return;
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", accessToken(identities.getProperty(username)));
        response.put("token_type", "Bearer");
        response.put("expires_in", LIFETIME.toSeconds());
        answer(exchange, 200, JSON.writeValueAsString(response));
    }

    private static Map<String, String> form(InputStream body) throws IOException {
        Map<String, String> form = new HashMap<>();
        String text = new String(body.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
        }
        return properties;
    }

    private void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
