package fr.mssante.operator.documents.ins;

import java.time.LocalDate;
import java.util.Optional;

/**
 * An INS whose matricule, OID and the identity traits (birth family name, first birth given name, birth date, sex)
 * are all present and valid. Only {@link InsValidator} makes one. {@link #toString()} hides the matricule and traits.
 */
public record QualifiedIns(
    String matricule,
    InsOid oid,
    String birthFamilyName,
    String birthGivenNames,
    String firstBirthGivenName,
    LocalDate birthDate,
    Sex sex,
    Optional<String> birthplaceCode) {

    /** The XDS/HL7v2 CX form used for {@code patientId}: {@code <matricule>^^^&<oid>&ISO^NH}. */
    public String cx() {
        return matricule + "^^^&" + oid.oid() + "&ISO^NH";
    }

    public Environment environment() {
        return oid.environment();
    }

    @Override
    public String toString() {
        return "QualifiedIns[" + oid + ", ***]";
    }
}
