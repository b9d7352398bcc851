package fr.mssante.operator.extensions.webadmin;

import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import spark.Request;
import spark.Response;
import spark.Route;

/**
 * Our WebAdmin handlers: JSON responses, and bad input answered with a clear 4xx — scoped to our routes, without
 * touching WebAdmin's global exception mapping (which answers 500 "unexpected internal error" to anything else):
 * <ul>
 *   <li>a rejected input ({@link IllegalArgumentException}, {@link NumberFormatException} included): 400 with its reason;</li>
 *   <li>{@link NotFoundException} (an unknown mailbox, citizen…): 404 with its reason;</li>
 *   <li>a body that is not a certificate ({@link CertificateException}), not JSON, a date that does not parse: 400;</li>
 *   <li>what the database refuses as the caller's fault (SQLSTATE class 22 data exception, 23503 reference to a record
 *       that does not exist, 23505 duplicate, 23502/23514 constraint): 400, 404, 409, 400 — the safety net for a route
 *       that forgot to check; the database's message is not echoed (it may quote stored values).</li>
 * </ul>
 */
@FunctionalInterface
public interface JsonRoute {
    Object handle(Request request, Response response) throws Exception;

    static Route of(JsonRoute route) {
        return (request, response) -> {
            response.type("application/json");
            try {
                return route.handle(request, response);
            } catch (Exception e) {
                Optional<Refusal> refusal = refusal(e);
                if (refusal.isEmpty()) {
                    throw e;
                }
                response.status(refusal.get().status());
                return Map.of("error", refusal.get().message());
            }
        };
    }

    /** The answer to a caller's mistake. */
    record Refusal(int status, String message) {
    }

    /** The 4xx that {@code failure} deserves, if it is the caller's mistake; empty for a server fault (500). */
    static Optional<Refusal> refusal(Throwable failure) {
        if (failure instanceof NotFoundException notFound) {
            return Optional.of(new Refusal(404, String.valueOf(notFound.getMessage())));
        }
        if (failure instanceof IllegalArgumentException rejected) {
            return Optional.of(new Refusal(400, String.valueOf(rejected.getMessage())));
        }
        if (failure instanceof CertificateException) {
            return Optional.of(new Refusal(400, "the body is not an X.509 certificate (PEM or DER expected)"));
        }
        if (failure instanceof JsonProcessingException) {
            return Optional.of(new Refusal(400, "the body is not valid JSON"));
        }
        if (failure instanceof DateTimeParseException unparsable) {
            return Optional.of(new Refusal(400, "not a date or time: " + unparsable.getParsedString()));
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.equals("23503")) {
                    return Optional.of(new Refusal(404, "a record this request refers to does not exist"));
                }
                if (state.equals("23505")) {
                    return Optional.of(new Refusal(409, "already exists"));
                }
                if (state.equals("23502") || state.equals("23514") || state.startsWith("22")) {
                    return Optional.of(new Refusal(400, "invalid value"));
                }
            }
        }
        return Optional.empty();
    }
}
