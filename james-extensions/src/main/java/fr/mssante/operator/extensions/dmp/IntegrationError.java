package fr.mssante.operator.extensions.dmp;

/** The MSSanté integration error codes (IG "courriel MSSanté", error-codes), with their French labels. */
public enum IntegrationError {
    VERSION(900, "Version non supportée"),
    AUTHOR_NOT_ALLOWED(901, "Auteur non autorisé"),
    UNKNOWN_PATIENT(902, "Patient inconnu"),
    NO_INS(903, "Absence d'INS"),
    INS_MISMATCH(904, "INS incohérent"),
    INS_INCOMPLETE(905, "INS incomplet"),
    OTHER(906, "Autre erreur");

    private final int code;
    private final String label;

    IntegrationError(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    /** The registry's answer mapped to a code: an unknown patient is 902, anything else 906. */
    public static IntegrationError fromRegistryError(String error) {
        return error != null && error.contains("XDSUnknownPatientId") ? UNKNOWN_PATIENT : OTHER;
    }
}
