package fr.mssante.operator.documents.ins;

/** The INS verdict for one document. */
public enum InsStatus {
    /** Matricule, OID and the four traits present and valid: a qualified INS. */
    QUALIFIED,
    /** No patient identifier with an INS OID. */
    MISSING,
    /** An INS OID with a matricule that is not a valid NIR/NIA (length, characters or key). */
    INVALID_MATRICULE,
    /** A test or demo INS in production, or a production INS outside production. */
    WRONG_ENVIRONMENT,
    /** A valid INS identifier but a missing or invalid trait. */
    INCOMPLETE
}
