package fr.mssante.operator.console.account;

import java.time.Instant;
import java.util.Optional;

/**
 * A console account as stored (the password only as a BCrypt hash). Locked after too many failures until
 * {@code lockedUntil}, or by an operator ({@code disabled}) until an operator unlocks it.
 */
public record Account(String login, String passwordHash, String totpSecret, Role role, int failedAttempts,
                      Optional<Instant> lockedUntil, long lastTotpStep, boolean disabled) {
    public boolean lockedAt(Instant now) {
        return disabled || lockedUntil.filter(now::isBefore).isPresent();
    }
}
