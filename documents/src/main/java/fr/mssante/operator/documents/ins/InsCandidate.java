package fr.mssante.operator.documents.ins;

import java.util.Optional;

/**
 * What a document says about its patient's INS, before validation: the identifier (matricule + OID) and the
 * identity traits, as written (HL7 forms: birth date {@code YYYYMMDD}, sex M/F/U/I).
 */
public record InsCandidate(
    Optional<String> matricule,
    Optional<String> oid,
    Optional<String> birthFamilyName,
    Optional<String> birthGivenNames,
    Optional<String> firstBirthGivenName,
    Optional<String> birthDate,
    Optional<String> sex,
    Optional<String> birthplaceCode) {

    /** No identifier, no traits. */
    public static InsCandidate none() {
        return new InsCandidate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        // never print the INS or the traits (logs): say which are present
        return "InsCandidate[matricule=" + matricule.isPresent() + ", oid=" + oid.orElse("-")
            + ", traits=" + (birthFamilyName.isPresent() ? "N" : "") + (firstBirthGivenName.isPresent() ? "P" : "")
            + (birthDate.isPresent() ? "D" : "") + (sex.isPresent() ? "S" : "") + "]";
    }
}
