package fr.mssante.operator.documents.ins;

import java.util.List;
import java.util.Optional;

/**
 * Outcome of {@link InsValidator#validate}.
 *
 * @param status        the verdict
 * @param qualified     the qualified INS, present only when {@code status == QUALIFIED}
 * @param oid           the INS authority found, if any
 * @param missingTraits names of absent or invalid traits ({@code birthFamilyName}, {@code firstBirthGivenName},
 *                      {@code birthDate}, {@code sex}) when {@code INCOMPLETE}
 * @param detail        a short English explanation, without the matricule or any trait value
 */
public record InsVerdict(InsStatus status, Optional<QualifiedIns> qualified, Optional<InsOid> oid, List<String> missingTraits,
                         String detail) {
    public InsVerdict {
        missingTraits = List.copyOf(missingTraits);
    }

    public boolean isQualified() {
        return status == InsStatus.QUALIFIED;
    }
}
