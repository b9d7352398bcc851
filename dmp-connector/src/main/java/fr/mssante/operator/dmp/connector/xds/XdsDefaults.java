package fr.mssante.operator.dmp.connector.xds;

import java.util.Objects;

import fr.mssante.operator.dmp.outbox.Code;

/**
 * Metadata the CDA does not give and the operator configures: the facility and practice codes used when a
 * submission has none, the submission set's contentTypeCode and sourceId (our system's OID), the classCode table.
 */
public record XdsDefaults(Code healthcareFacilityTypeCode, Code practiceSettingCode, Code contentTypeCode,
                          String sourceId, ClassCodeMapping classCodes) {
    /** SA01 / ETABLISSEMENT / 04 as in published DMP samples; override them per deployment. */
    public static final Code FACILITY = new Code("SA01", "1.2.250.1.71.4.2.4", "Etablissement public de santé");
    public static final Code PRACTICE = new Code("ETABLISSEMENT", "1.2.250.1.213.1.1.4.9", "Etablissement de santé");
    public static final Code CONTENT_TYPE = new Code("04", "1.2.250.1.213.2.2", "Hospitalisation de jour");

    public XdsDefaults {
        Objects.requireNonNull(healthcareFacilityTypeCode, "healthcareFacilityTypeCode");
        Objects.requireNonNull(practiceSettingCode, "practiceSettingCode");
        Objects.requireNonNull(contentTypeCode, "contentTypeCode");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(classCodes, "classCodes");
        if (!sourceId.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
            throw new IllegalArgumentException("sourceId must be an OID: " + sourceId);
        }
    }

    public static XdsDefaults of(String sourceId) {
        return new XdsDefaults(FACILITY, PRACTICE, CONTENT_TYPE, sourceId, ClassCodeMapping.defaults());
    }
}
