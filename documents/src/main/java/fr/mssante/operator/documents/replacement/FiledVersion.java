package fr.mssante.operator.documents.replacement;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A document version this server already took for filing (the DMP outbox), as the replacement rule needs it.
 *
 * @param documentId    its unique id ({@code root^extension})
 * @param setId         its CDA {@code setId} ({@code root^extension}), which every version of the document shares
 * @param authorId      its author's national id (IdNat_PS), if known
 * @param institutionId its organisation's national id (IdNat_Struct), if known
 * @param takenAt       when it was taken (orders the versions)
 */
public record FiledVersion(String documentId, Optional<String> setId, Optional<String> authorId, Optional<String> institutionId,
                           Instant takenAt) {
    public FiledVersion {
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(takenAt, "takenAt");
    }
}
