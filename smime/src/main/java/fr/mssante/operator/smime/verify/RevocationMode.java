package fr.mssante.operator.smime.verify;

public enum RevocationMode {
    /**
     * A signer whose revocation status cannot be established (no source, source unreachable or stale) is reported
     * {@code undetermined} (reason {@code revocation-undetermined}): neither good nor bad.
     */
    BEST_EFFORT,
    /** A signer whose revocation status cannot be established is bad (reason {@code revocation-unknown}). */
    REQUIRE
}
