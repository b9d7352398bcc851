package fr.mssante.operator.smime.crypto;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of an outbound operation (sign, encrypt): a value, or a failure description that contains no message
 * content. Public entry points return this instead of throwing.
 */
public record Outcome<T>(Optional<T> value, Optional<String> failure) {
    public Outcome {
        Objects.requireNonNull(value);
        Objects.requireNonNull(failure);
        if (value.isPresent() == failure.isPresent()) {
            throw new IllegalArgumentException("exactly one of value and failure");
        }
    }

    public static <T> Outcome<T> success(T value) {
        return new Outcome<>(Optional.of(value), Optional.empty());
    }

    public static <T> Outcome<T> failure(String failure) {
        return new Outcome<>(Optional.empty(), Optional.of(failure));
    }

    public boolean isSuccess() {
        return value.isPresent();
    }

    public T orElseThrow() {
        return value.orElseThrow(() -> new IllegalStateException(failure.orElse("")));
    }
}
