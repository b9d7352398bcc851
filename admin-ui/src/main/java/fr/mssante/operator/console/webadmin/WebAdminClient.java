package fr.mssante.operator.console.webadmin;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import fr.mssante.operator.console.ConsoleProperties;
import fr.mssante.operator.console.metrics.ConsoleMetrics;

/**
 * The console's only way to the server: WebAdmin over HTTP with the console's JWT ({@code MSS_CONSOLE_WEBADMIN_TOKEN_FILE},
 * subject {@code mss-console}, read at each call so that a re-issued token is picked up) and the operator's login in
 * {@code X-MSS-Actor} on every request (the server records it as {@code console:<login>}). Bounded by timeouts; every
 * failure becomes a {@link WebAdminException} with the server's reason, which the pages show. Every call is timed
 * ({@code mss_console_webadmin_requests_seconds}, by method and outcome).
 */
@Component
public class WebAdminClient {
    public static final String ACTOR_HEADER = "X-MSS-Actor";

    private final ConsoleProperties properties;
    private final ObjectMapper mapper;
    private final HttpClient http;
    private final ConsoleMetrics metrics;

    public WebAdminClient(ConsoleProperties properties, ObjectMapper mapper, ConsoleMetrics metrics) {
        this.properties = properties;
        this.metrics = metrics;
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A path segment, percent-encoded. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A query string from the non-blank values ({@code ?a=1&b=2}, or empty). */
    public static String query(Map<String, String> parameters) {
        String query = parameters.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
            .map(e -> segment(e.getKey()) + "=" + segment(e.getValue().trim())).collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    public JsonNode get(String path) {
        return json(send("GET", path, HttpRequest.BodyPublishers.noBody(), Map.of()));
    }

    public String getText(String path) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), Map.of()).body();
    }

    public JsonNode call(String method, String path) {
        return json(send(method, path, HttpRequest.BodyPublishers.noBody(), Map.of()));
    }

    public JsonNode call(String method, String path, byte[] body, Map<String, String> headers) {
        return json(send(method, path, HttpRequest.BodyPublishers.ofByteArray(body), headers));
    }

    private JsonNode json(HttpResponse<String> response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new WebAdminException(response.statusCode(), "réponse illisible de WebAdmin");
        }
    }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, Map<String, String> headers) {
        String token;
        try {
            token = Files.readString(properties.webAdminTokenFile(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new WebAdminException(0, "jeton WebAdmin illisible (" + properties.webAdminTokenFile() + ")");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.webAdminUrl() + path))
            .timeout(properties.webAdminTimeout())
            .header("Authorization", "Bearer " + token)
            .header(ACTOR_HEADER, actor())
            .method(method, body);
        headers.forEach(request::header);
        HttpResponse<String> response;
        long start = System.nanoTime();
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            metrics.webAdminCall(method, 0, Duration.ofNanos(System.nanoTime() - start));
            throw new WebAdminException(0, "WebAdmin injoignable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            metrics.webAdminCall(method, 0, Duration.ofNanos(System.nanoTime() - start));
            Thread.currentThread().interrupt();
            throw new WebAdminException(0, "interrompu");
        }
        metrics.webAdminCall(method, response.statusCode(), Duration.ofNanos(System.nanoTime() - start));
        if (response.statusCode() >= 400) {
            throw new WebAdminException(response.statusCode(), reason(response));
        }
        return response;
    }

    private String reason(HttpResponse<String> response) {
        String body = Optional.ofNullable(response.body()).orElse("");
        try {
            JsonNode node = mapper.readTree(body);
            for (String field : new String[] {"error", "message", "details"}) {
                if (node != null && node.hasNonNull(field) && !node.get(field).asText().isBlank()) {
                    return "HTTP " + response.statusCode() + " : " + node.get(field).asText();
                }
            }
        } catch (IOException e) {
            // not JSON: the status alone
        }
        return "HTTP " + response.statusCode() + (body.isBlank() ? "" : " : " + body.substring(0, Math.min(200, body.length())));
    }

    private static String actor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "anonymous" : authentication.getName();
    }
}
