package fr.mssante.operator.documents.filing;

/** What a sender's documents are filed into the DMP. */
public enum FilingRule {
    /** Never. */
    NONE,
    /** Laboratory reports only (CDA typeCode LOINC 11502-2, "CR d'examens biologiques"). */
    CR_BIO,
    /** Every CDA R2 document carrying a valid INS. */
    ALL_CDA;

    public static final String LOINC = "2.16.840.1.113883.6.1";
    public static final String CR_BIO_CODE = "11502-2";

    public boolean files(String typeCode, String typeCodeSystem) {
        return switch (this) {
            case NONE -> false;
            case CR_BIO -> CR_BIO_CODE.equals(typeCode) && (typeCodeSystem == null || LOINC.equals(typeCodeSystem));
            case ALL_CDA -> true;
        };
    }
}
