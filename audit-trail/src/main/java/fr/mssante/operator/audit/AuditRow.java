package fr.mssante.operator.audit;

import java.time.Instant;

/**
 * One row of the trail as the search returns it (contract A): {@code mailbox} is the row's mailbox, else its
 * recipients, else its sender; {@code peer} the peer's certificate DN or address. Patient addresses are hashed.
 */
public record AuditRow(long id, Instant at, String type, String actor, String mailbox, String messageId, String peer,
                       String outcome, String reason, String detail) {
}
