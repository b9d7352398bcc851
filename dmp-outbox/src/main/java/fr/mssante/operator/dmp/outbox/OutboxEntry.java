package fr.mssante.operator.dmp.outbox;

import java.time.Instant;

/**
 * One row as the console lists it: no document bytes, no patient identity.
 */
public record OutboxEntry(long id, String messageId, String documentUniqueId, String mailbox, String typeCode,
                          String formatCode, String title, String mimeType, int documentSize, OutboxState state,
                          int attempts, Instant nextAttemptAt, String lastError, Instant createdAt,
                          Instant updatedAt, Instant finishedAt, Instant notifiedAt) {
}
