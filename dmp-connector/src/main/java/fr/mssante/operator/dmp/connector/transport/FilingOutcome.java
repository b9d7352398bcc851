package fr.mssante.operator.dmp.connector.transport;

/** What the DMP made of one ITI-41 submission, as the outbox records it. */
public sealed interface FilingOutcome {
    /** Success (or "already there": a retry after a lost answer); {@code note} may be null. */
    record Accepted(String note) implements FilingOutcome {
    }

    /** Registry errors: final, the sender is told this text. */
    record Rejected(String errors) implements FilingOutcome {
    }

    /** Transport failure, SOAP fault or a busy registry: try again later. */
    record Retry(String reason) implements FilingOutcome {
    }
}
