package fr.mssante.operator.dmp.connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code MSS_*} settings as the server reads them: the variable, or {@code MSS_X_FILE} naming a file that holds the
 * value (container secrets). Invalid values fail naming the variable.
 */
final class Environment {
    private final Map<String, String> env;

    Environment(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Optional<String> get(String name) {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
            return Optional.of(v.trim());
        }
        String file = env.get(name + "_FILE");
        if (file != null && !file.isBlank()) {
            try {
                return Optional.of(Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name + "_FILE " + file, e);
            }
        }
        return Optional.empty();
    }

    String get(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    String required(String name) {
        return get(name).orElseThrow(() -> new IllegalArgumentException(name + " is required"));
    }

    int integer(String name, int fallback, int min, int max) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v.get());
            if (i < min || i > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not an integer: " + v.get(), e);
        }
    }

    Duration duration(String name, Duration fallback) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(v.get());
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + v.get());
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is not an ISO-8601 duration (e.g. PT30S): " + v.get(), e);
        }
    }

    boolean bool(String name, boolean fallback) {
        return get(name).map(v -> switch (v.toLowerCase()) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false: " + v);
        }).orElse(fallback);
    }
}
