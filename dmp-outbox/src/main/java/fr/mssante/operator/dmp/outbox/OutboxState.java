package fr.mssante.operator.dmp.outbox;

/** The life of an outbox row. */
public enum OutboxState {
    /** Waiting for its next attempt ({@code next_attempt_at}). */
    QUEUED,
    /** Leased by a connector; claimable again when the lease expires (connector crash). */
    SENDING,
    /** The DMP accepted it (final). */
    ACCEPTED,
    /** The DMP answered with registry errors (final; the sender is told). */
    REJECTED,
    /** Transport errors until the maximum age (final; the sender is told). */
    FAILED;

    public boolean isFinal() {
        return this == ACCEPTED || this == REJECTED || this == FAILED;
    }
}
