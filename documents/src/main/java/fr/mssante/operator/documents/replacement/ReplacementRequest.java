package fr.mssante.operator.documents.replacement;

import java.util.Objects;
import java.util.Optional;

/**
 * A new document version that declares it replaces another ({@code relatedDocument[@typeCode='RPLC']}).
 *
 * @param replacedDocumentId the replaced version's unique id ({@code parentDocument/id}, {@code root^extension})
 * @param authorId           the requesting author's national id (IdNat_PS), if known
 * @param institutionId      the requesting organisation's national id (IdNat_Struct), if known
 */
public record ReplacementRequest(String replacedDocumentId, Optional<String> authorId, Optional<String> institutionId) {
    public ReplacementRequest {
        Objects.requireNonNull(replacedDocumentId, "replacedDocumentId");
    }
}
