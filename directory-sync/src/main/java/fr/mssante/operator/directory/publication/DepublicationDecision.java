package fr.mssante.operator.directory.publication;

import java.time.Instant;

/**
 * A published mailbox to unpublish: the register marks it unpublished and audits the change.
 *
 * @param address      the mailbox
 * @param reason       why
 * @param lastActivity its last activity, null when never used
 * @param unusedSince  the instant counted from: the last activity, or the creation when never used
 */
public record DepublicationDecision(String address, Reason reason, Instant lastActivity, Instant unusedSince) {

    public enum Reason {
        /** No activity since {@code lastActivity}, longer than the policy allows. */
        UNUSED,
        /** Never used since its creation, longer than the policy allows. */
        NEVER_USED
    }
}
