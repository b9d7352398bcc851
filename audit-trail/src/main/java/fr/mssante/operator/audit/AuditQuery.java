package fr.mssante.operator.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A search of the trail: every filter optional, newest first, {@code limit} at most {@value #MAX_LIMIT}.
 * {@code mailbox} matches the row's mailbox, its sender or any of its recipients.
 */
public record AuditQuery(Optional<String> mailbox, Optional<String> messageId, List<String> types, Optional<Instant> from,
                         Optional<Instant> to, int limit, int offset) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public AuditQuery {
        mailbox = mailbox.map(String::trim).filter(value -> !value.isEmpty());
        messageId = messageId.map(String::trim).filter(value -> !value.isEmpty());
        types = List.copyOf(types);
        types.forEach(AuditTypes::requireValid);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
        if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
            throw new IllegalArgumentException("'to' is before 'from'");
        }
    }

    public static AuditQuery all() {
        return new AuditQuery(Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), MAX_LIMIT, 0);
    }

    public AuditQuery withLimit(int value) {
        return new AuditQuery(mailbox, messageId, types, from, to, value, offset);
    }
}
