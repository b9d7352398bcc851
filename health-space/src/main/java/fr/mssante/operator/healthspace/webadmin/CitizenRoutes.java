package fr.mssante.operator.healthspace.webadmin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import fr.mssante.operator.healthspace.HealthSpaceSettings;

/**
 * The typed client of the server's citizen routes (WebAdmin, contract B): the register, the one-time login codes, the
 * reply rule and the opt-out. The bearer token is read from its file at each call. Errors become
 * {@link ServerUnavailableException}; a 404 on a citizen is an empty answer.
 */
@Component
public class CitizenRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INS = Pattern.compile("[0-9]{13}[0-9]{2}|[0-9]{5}2[AB][0-9]{6}[0-9]{2}");

    private final HealthSpaceSettings settings;
    private final RestClient client;

    public CitizenRoutes(HealthSpaceSettings settings, RestClient.Builder builder) {
        this.settings = settings;
        SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
        factory.setConnectTimeout(settings.httpTimeout());
        factory.setReadTimeout(settings.httpTimeout());
        this.client = builder.baseUrl(settings.webadminUrl()).requestFactory(factory).build();
    }

    public Optional<Citizen> find(String ins) {
        try {
            return Optional.ofNullable(call(() -> client.get().uri("/mss/citizens/{ins}", checked(ins))
                .header(HttpHeaders.AUTHORIZATION, bearer()).retrieve().body(Citizen.class)));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    /**
     * Asks the server to mail a one-time code to the citizen's personal address. False when the server declined
     * because a code was sent less than a minute ago (429: that code stays valid) or the citizen is unknown.
     */
    public boolean sendLoginCode(String ins) {
        try {
            call(() -> client.post().uri("/mss/citizens/{ins}/login-code", checked(ins))
                .header(HttpHeaders.AUTHORIZATION, bearer()).retrieve().toBodilessEntity());
            return true;
        } catch (Locked | NotFound e) {
            return false;
        }
    }

    public CodeVerification verifyLoginCode(String ins, String code) {
        try {
            // a body of known length: the server's WebAdmin does not read a chunked request body
            byte[] body = JSON.writeValueAsBytes(Map.of("code", code));
            JsonNode answer = call(() -> client.post().uri("/mss/citizens/{ins}/login-code/verify", checked(ins))
                .header(HttpHeaders.AUTHORIZATION, bearer()).contentType(MediaType.APPLICATION_JSON)
                .contentLength(body.length).body(body).retrieve().body(JsonNode.class));
            if (answer != null && answer.path("valid").asBoolean(false)) {
                return new CodeVerification(CodeVerification.Outcome.VALID, 0);
            }
            return new CodeVerification(CodeVerification.Outcome.INVALID,
                answer == null ? 0 : answer.path("remainingAttempts").asInt(0));
        } catch (Locked e) {
            return new CodeVerification(CodeVerification.Outcome.LOCKED, 0);
        } catch (NotFound e) {
            return new CodeVerification(CodeVerification.Outcome.INVALID, 0);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public ReplyPermission replyPermission(String ins, String inReplyTo) {
        return call(() -> client.get().uri(uri -> uri.path("/mss/citizens/{ins}/reply-permission")
                .queryParam("inReplyTo", "{id}").build(checked(ins), inReplyTo))
            .header(HttpHeaders.AUTHORIZATION, bearer()).retrieve().body(ReplyPermission.class));
    }

    /** Opt-out: the space is closed, later messages bounce. */
    public void close(String ins) {
        call(() -> client.post().uri("/mss/citizens/{ins}/close", checked(ins))
            .header(HttpHeaders.AUTHORIZATION, bearer()).retrieve().toBodilessEntity());
    }

    /** Whether {@code value} has the shape of an INS (the server checks the key and the register). */
    public static boolean looksLikeIns(String value) {
        return value != null && INS.matcher(value).matches();
    }

    private static String checked(String ins) {
        if (!looksLikeIns(ins)) {
            throw new IllegalArgumentException("Not an INS");
        }
        return ins;
    }

    private String bearer() {
        try {
            return "Bearer " + Files.readString(settings.webadminTokenFile(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new ServerUnavailableException("WebAdmin token unreadable: " + settings.webadminTokenFile(), e);
        }
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (HttpStatusCodeException e) {
            HttpStatusCode status = e.getStatusCode();
            if (status.value() == HttpStatus.NOT_FOUND.value()) {
                throw new NotFound();
            }
            if (status.value() == HttpStatus.TOO_MANY_REQUESTS.value()) {
                throw new Locked();
            }
            throw new ServerUnavailableException("WebAdmin answered " + status.value());
        } catch (ResourceAccessException e) {
            throw new ServerUnavailableException("WebAdmin unreachable", e);
        } catch (RestClientException e) {
            throw new ServerUnavailableException("WebAdmin call failed", e);
        }
    }

    private static final class NotFound extends RuntimeException {
        NotFound() {
            super(null, null, false, false);
        }
    }

    private static final class Locked extends RuntimeException {
        Locked() {
            super(null, null, false, false);
        }
    }
}
