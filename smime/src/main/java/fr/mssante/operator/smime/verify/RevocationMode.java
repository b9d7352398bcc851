package fr.mssante.operator.smime.verify;

public enum RevocationMode {
    /** Check CRLs when available; a signer whose status cannot be determined stays good. */
    BEST_EFFORT,
    /** A signer whose issuer has no current CRL is bad (REVOCATION_UNKNOWN). */
    REQUIRE
}
