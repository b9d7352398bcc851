package fr.mssante.operator.dmp.outbox;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the console asks to list; null or empty fields do not filter.
 *
 * @param states only these states
 * @param mailbox exact submitting mailbox
 * @param messageId exact Message-ID
 * @param documentUniqueId exact document unique id
 * @param createdFrom inclusive
 * @param createdBefore exclusive
 */
public record OutboxFilter(Set<OutboxState> states, String mailbox, String messageId, String documentUniqueId,
                           Instant createdFrom, Instant createdBefore) {
    public static final OutboxFilter ALL = new OutboxFilter(Set.of(), null, null, null, null, null);

    public OutboxFilter {
        states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
    }

    public static OutboxFilter inStates(OutboxState first, OutboxState... rest) {
        return new OutboxFilter(EnumSet.of(first, rest), null, null, null, null, null);
    }
}
