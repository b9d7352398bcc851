package fr.mssante.operator.documents.ins;

/** Which INS OIDs a deployment accepts: production OIDs in production only, test and demo OIDs elsewhere. */
public enum Environment {
    PRODUCTION,
    TEST,
    DEMO
}
