package fr.mssante.operator.documents.replacement;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

import fr.mssante.operator.documents.feedback.IntegrationErrorCode;

/**
 * The ANS volet's two replacement errors (table applicationErrorCondition, "erreur de remplacement ou de suppression
 * du document CDA au niveau du CONSOMMATEUR"), judged against the versions this server already took for filing:
 * <ul>
 *   <li>{@code 901} (author not allowed): the request comes from neither the replaced version's author nor its
 *       organisation — checked first, so that a stranger learns nothing about the versions;</li>
 *   <li>{@code 900} (incorrect version): the replaced version is not the latest of its set (another version of the
 *       same {@code setId} was taken after it).</li>
 * </ul>
 * A replaced version this server never took is not judged here (the DMP judges it). Pure and thread-safe.
 */
public final class ReplacementRule {
    private ReplacementRule() {
    }

    public static Optional<IntegrationErrorCode> check(ReplacementRequest request, Collection<FiledVersion> filed) {
        Optional<FiledVersion> replaced = filed.stream().filter(v -> v.documentId().equals(request.replacedDocumentId()))
            .min(Comparator.comparing(FiledVersion::takenAt));
        if (replaced.isEmpty()) {
            return Optional.empty();
        }
        FiledVersion parent = replaced.get();
        boolean sameAuthor = request.authorId().isPresent() && request.authorId().equals(parent.authorId());
        boolean sameOrganisation = request.institutionId().isPresent() && request.institutionId().equals(parent.institutionId());
        if (!sameAuthor && !sameOrganisation) {
            return Optional.of(IntegrationErrorCode.AUTHOR_NOT_ALLOWED);
        }
        boolean superseded = parent.setId().isPresent() && filed.stream()
            .anyMatch(v -> v.setId().equals(parent.setId()) && !v.documentId().equals(parent.documentId())
                && v.takenAt().isAfter(parent.takenAt()));
        return superseded ? Optional.of(IntegrationErrorCode.VERSION_INCORRECT) : Optional.empty();
    }
}
