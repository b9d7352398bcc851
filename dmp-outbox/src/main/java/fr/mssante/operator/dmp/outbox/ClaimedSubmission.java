package fr.mssante.operator.dmp.outbox;

import java.time.Instant;

/**
 * A row claimed by {@link DmpOutbox#claimDue}: the submission to file and its lease.
 *
 * @param claim the lease to quote when recording the outcome
 * @param attempts attempts so far, this one included
 * @param createdAt when it was enqueued
 * @param submission what to file
 */
public record ClaimedSubmission(Claim claim, int attempts, Instant createdAt, Submission submission) {
    public long id() {
        return claim.id();
    }
}
