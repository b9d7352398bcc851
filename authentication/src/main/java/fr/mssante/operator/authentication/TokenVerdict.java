package fr.mssante.operator.authentication;

import java.time.Instant;

/** The outcome of checking an access token: the identity it names, or why it is refused (never the token). */
public sealed interface TokenVerdict {
    record Valid(String identity, Instant expiresAt) implements TokenVerdict {
    }

    record Refused(String reason) implements TokenVerdict {
    }
}
