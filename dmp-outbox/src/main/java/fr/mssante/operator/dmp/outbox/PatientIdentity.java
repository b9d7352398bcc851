package fr.mssante.operator.dmp.outbox;

import java.time.LocalDate;
import java.util.Objects;

/**
 * The patient of a document: the qualified INS (matricule + OID) and its traits, as read from the CDA header.
 *
 * @param insMatricule the 15-character INS matricule (NIR or NIA with its key)
 * @param insOid the OID of the identifier system ({@code 1.2.250.1.213.1.4.8} INS-NIR, {@code .9} INS-NIA,
 *               {@code .10} / {@code .11} test and demo)
 * @param birthName family name at birth, may be null
 * @param givenNames the birth given names (space separated), may be null
 * @param birthDate may be null
 * @param sex administrative gender ({@code M}, {@code F}, {@code U}), may be null
 */
public record PatientIdentity(String insMatricule, String insOid, String birthName, String givenNames,
                              LocalDate birthDate, String sex) {
    public PatientIdentity {
        Objects.requireNonNull(insMatricule, "insMatricule");
        Objects.requireNonNull(insOid, "insOid");
    }

    /** No INS in logs above DEBUG: this is for messages that must reference the patient without identifying it. */
    @Override
    public String toString() {
        return "PatientIdentity[oid=" + insOid + "]";
    }
}
