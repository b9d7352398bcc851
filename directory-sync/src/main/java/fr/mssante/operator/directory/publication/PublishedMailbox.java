package fr.mssante.operator.directory.publication;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

/**
 * One of our mailboxes as the publication and the dépublication see it (read from the register, {@code mss.mailbox}).
 *
 * @param address        the mailbox address (immutable)
 * @param kind           PER, ORG, APP or CAB (immutable)
 * @param holderId       PER/CAB: the professional's national id, "8" + RPPS; ORG/APP: the structure's national id
 *                       (idNat_Struct, e.g. "1" + FINESS)
 * @param structureId    PER/CAB at a practice site: that structure's national id; otherwise null
 * @param description    functional description (ORG/APP), may be null
 * @param service        service the mailbox belongs to, may be null
 * @param responsible    who runs the mailbox (ORG/APP); restricted data, never in a public export; may be null
 * @param listeRouge     true: the holder refused publication (liste rouge)
 * @param preferredRank  1 for the holder's preferred mailbox, 2, 3… for the others; null when unranked
 * @param state          life-cycle state; only ACTIVE mailboxes are published
 * @param depublished    true once the register has unpublished it (see {@link Depublication})
 * @param createdAt      creation time
 * @param lastActivityAt last time the mailbox was used (message sent, received or read); null if never
 */
public record PublishedMailbox(String address, MailboxKind kind, String holderId, String structureId,
                               String description, String service, String responsible, boolean listeRouge,
                               Integer preferredRank, MailboxState state, boolean depublished, Instant createdAt,
                               Instant lastActivityAt) {

    public PublishedMailbox {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        address = address.trim().toLowerCase(Locale.ROOT);
    }

    /** Whether the operator publishes it at all: active and not unpublished. */
    public boolean publishable() {
        return state.usable() && !depublished;
    }
}
