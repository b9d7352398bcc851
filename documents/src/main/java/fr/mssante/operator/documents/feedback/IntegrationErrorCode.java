package fr.mssante.operator.documents.feedback;

import java.util.Optional;

/**
 * The MSSanté integration error codes (table applicationErrorCondition of the ANS volet "Transmission de documents
 * CDA en HL7v2 / courriel MSSanté", {@code input/pagecontent/error-codes.md}): code, ANS label, ANS meaning.
 */
public enum IntegrationErrorCode {
    VERSION_INCORRECT(900, "Version du document incorrecte lors d'une demande de remplacement/suppression",
        "La version du document transmise ne correspond pas à la version la plus récente du document existant."),
    AUTHOR_NOT_ALLOWED(901, "Auteur non autorisé à remplacer ou supprimer un document",
        "L'acteur qui demande le remplacement ou la suppression n'est ni l'auteur du document ni de la même organisation."),
    UNKNOWN_PATIENT(902, "Identifiant patient inconnu",
        "Le patient pour lequel le traitement sur le document est demandé est inconnu de l'application réceptrice."),
    INS_MISSING(903, "INS non présent dans le document",
        "Le document CDA contient une liste d'identifiants de patient mais pas l'INS."),
    INS_MISMATCH(904, "L'INS transmis ne correspond pas exactement à celui stocké dans la base du consommateur",
        "Les traits ou le matricule de l'INS ne correspondent pas exactement à ceux connus du système."),
    INS_INCOMPLETE(905, "L'INS transmis n'est pas complet",
        "L'INS du patient est présent mais l'ensemble des traits complémentaires ne sont pas présents."),
    OTHER(906, "Erreur 'Autre'",
        "Les autres codes erreurs ne correspondent pas au cas d'erreur rencontré.");

    private final int code;
    private final String label;
    private final String meaning;

    IntegrationErrorCode(int code, String label, String meaning) {
        this.code = code;
        this.label = label;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** The ANS label (French). */
    public String label() {
        return label;
    }

    /** The ANS description, shortened (French). */
    public String meaning() {
        return meaning;
    }

    /**
     * The code for a refusal by the DMP registry (ITI-41 {@code RegistryError/@errorCode}, as the outbox records it:
     * {@code "<errorCode>: <context>"}, several joined by {@code "; "}): a replacement of a version that is not the
     * latest ({@code XDSRegistryDeprecatedDocumentError}, {@code XDSMetadataVersionError}) is 900, an unknown patient
     * ({@code XDSUnknownPatientId}) 902, a patient id that does not match the replaced document's
     * ({@code XDSPatientIdDoesNotMatch}) 904, anything else (and a transport failure, {@code null}) 906.
     */
    public static IntegrationErrorCode forRegistryError(String errorText) {
        if (errorText == null) {
            return OTHER;
        }
        if (errorText.contains("XDSRegistryDeprecatedDocumentError") || errorText.contains("XDSMetadataVersionError")) {
            return VERSION_INCORRECT;
        }
        if (errorText.contains("XDSUnknownPatientId")) {
            return UNKNOWN_PATIENT;
        }
        if (errorText.contains("XDSPatientIdDoesNotMatch")) {
            return INS_MISMATCH;
        }
        return OTHER;
    }

    public static Optional<IntegrationErrorCode> of(int code) {
        for (IntegrationErrorCode value : values()) {
            if (value.code == code) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
