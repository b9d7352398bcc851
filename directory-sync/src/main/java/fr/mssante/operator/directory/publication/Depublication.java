package fr.mssante.operator.directory.publication;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Decides which published mailboxes have been unused for the policy's period and should be unpublished (MSSanté
 * asks operators to unpublish unused mailboxes so that senders stop choosing them; no threshold is published, the
 * default is 12 months). Only mailboxes the operator publishes are considered (active, not yet unpublished). It
 * decides only: the register applies the decisions and audits them.
 */
public final class Depublication {

    private final UnusedMailboxPolicy policy;
    private final Clock clock;

    public Depublication(UnusedMailboxPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
    }

    public List<DepublicationDecision> decide(PublishedMailboxSource source) throws SQLException {
        return decide(source.mailboxes());
    }

    /** The decisions, oldest first. */
    public List<DepublicationDecision> decide(Collection<PublishedMailbox> mailboxes) {
        Instant now = clock.instant();
        List<DepublicationDecision> decisions = new ArrayList<>();
        for (PublishedMailbox m : mailboxes) {
            if (!m.publishable()) {
                continue;
            }
            Instant since = m.lastActivityAt() != null ? m.lastActivityAt() : m.createdAt();
            if (isUnused(since, now)) {
                decisions.add(new DepublicationDecision(m.address(),
                    m.lastActivityAt() != null ? DepublicationDecision.Reason.UNUSED
                        : DepublicationDecision.Reason.NEVER_USED, m.lastActivityAt(), since));
            }
        }
        decisions.sort(Comparator.comparing(DepublicationDecision::unusedSince)
            .thenComparing(DepublicationDecision::address));
        return decisions;
    }

    /** Unused when {@code since} plus the period (calendar arithmetic in the policy's zone) is now or earlier. */
    boolean isUnused(Instant since, Instant now) {
        Instant limit = since.atZone(policy.zone()).plus(policy.unusedFor()).toInstant();
        return !limit.isAfter(now);
    }
}
