package fr.mssante.operator.smime.policy;

public enum EncryptMode {
    INHERIT,
    NEVER,
    /** Encrypt when every recipient has a valid certificate, else send in clear. */
    WHEN_POSSIBLE,
    /** Encrypt; refuse (bounce to the sender) when a recipient has no valid certificate. */
    REQUIRED
}
