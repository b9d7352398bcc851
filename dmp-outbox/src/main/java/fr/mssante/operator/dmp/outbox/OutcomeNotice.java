package fr.mssante.operator.dmp.outbox;

import java.time.Instant;

/**
 * A final failure the sender has not been told about yet ({@link DmpOutbox#pollOutcomes}).
 *
 * @param id the outbox row, to pass to {@link DmpOutbox#markNotified}
 * @param state REJECTED or FAILED
 * @param error the registry's error text (REJECTED) or the last transport error (FAILED)
 */
public record OutcomeNotice(long id, String messageId, String documentUniqueId, String mailbox,
                            String senderNationalId, String title, OutboxState state, String error, int attempts,
                            Instant createdAt, Instant finishedAt) {
}
