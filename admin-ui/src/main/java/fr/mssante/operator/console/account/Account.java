package fr.mssante.operator.console.account;

import java.time.Instant;
import java.util.Optional;

/** A console account as stored (the password only as a BCrypt hash). */
public record Account(String login, String passwordHash, String totpSecret, Role role, int failedAttempts,
                      Optional<Instant> lockedUntil, long lastTotpStep) {
    public boolean lockedAt(Instant now) {
        return lockedUntil.filter(now::isBefore).isPresent();
    }
}
