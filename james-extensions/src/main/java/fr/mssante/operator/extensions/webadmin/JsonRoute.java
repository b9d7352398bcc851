package fr.mssante.operator.extensions.webadmin;

import java.util.Map;

import spark.Request;
import spark.Response;
import spark.Route;

/**
 * Our WebAdmin handlers: JSON responses, and a rejected input ({@link IllegalArgumentException}) answered 400 with
 * its reason — scoped to our routes, without touching WebAdmin's global exception mapping.
 */
@FunctionalInterface
public interface JsonRoute {
    Object handle(Request request, Response response) throws Exception;

    static Route of(JsonRoute route) {
        return (request, response) -> {
            response.type("application/json");
            try {
                return route.handle(request, response);
            } catch (IllegalArgumentException e) {
                response.status(400);
                return Map.of("error", String.valueOf(e.getMessage()));
            }
        };
    }
}
