package fr.mssante.operator.register;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

/**
 * One mailbox of the operator. Address and kind never change once created.
 *
 * @param holderId national id of the holder: {@code 8}+RPPS (11 digits) or {@code 0}+ADELI (9 digits) for PER/CAB,
 *                 a structure identifier (e.g. FINESS/SIRET-based) for ORG/APP
 */
public record MailboxRecord(String address, MailboxKind kind, String holderId, Optional<String> description,
                            Optional<String> service, boolean listeRouge, Optional<Integer> preferredRank,
                            MailboxState state, Instant createdAt, Optional<Instant> lastActivityAt) {
    private static final Pattern PERSON_ID = Pattern.compile("8\\d{11}|0\\d{9}");
    private static final Pattern STRUCTURE_ID = Pattern.compile("[0-9A-Za-z]{1,20}");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public MailboxRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        address = Objects.requireNonNull(address, "address").trim().toLowerCase(Locale.ROOT);
        if (!ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("not a mailbox address: " + address);
        }
        holderId = Objects.requireNonNull(holderId, "holderId").trim();
        if (kind.heldByPerson() && !PERSON_ID.matcher(holderId).matches()) {
            throw new IllegalArgumentException(kind + " mailboxes are held by a person: holder id must be 8+RPPS (12 digits) "
                + "or 0+ADELI (10 digits), got '" + holderId + "'");
        }
        if (!kind.heldByPerson() && !STRUCTURE_ID.matcher(holderId).matches()) {
            throw new IllegalArgumentException(kind + " mailboxes are held by a structure: holder id must be its identifier, got '"
                + holderId + "'");
        }
    }
}
