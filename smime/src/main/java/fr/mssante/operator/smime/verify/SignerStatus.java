package fr.mssante.operator.smime.verify;

public enum SignerStatus {
    GOOD,
    BAD
}
