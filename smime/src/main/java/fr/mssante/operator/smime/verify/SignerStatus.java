package fr.mssante.operator.smime.verify;

public enum SignerStatus {
    GOOD,
    /** Everything checks out except that the revocation status could not be established. */
    UNDETERMINED,
    BAD
}
