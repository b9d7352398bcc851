package fr.mssante.operator.dmp.connector.vihf;

import java.util.Objects;

import fr.mssante.operator.dmp.outbox.Code;

/**
 * Who the assertion speaks for and about which patient.
 *
 * @param nationalId the professional's IdNat_PS ({@code NameID})
 * @param displayName XSPA {@code subject-id} (the professional's name)
 * @param role XACML {@code subject:role} (profession), may be null
 * @param patientCx XACML {@code resource-id}: the patient's INS as CX
 */
public record VihfSubject(String nationalId, String displayName, Code role, String patientCx) {
    public VihfSubject {
        Objects.requireNonNull(nationalId, "nationalId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(patientCx, "patientCx");
    }
}
