package fr.mssante.operator.smime.verify;

/** What the revocation sources say about one certificate. */
public enum RevocationVerdict {
    /** A current CRL or OCSP answer says it is not revoked. */
    GOOD,
    REVOKED,
    /** Some source should speak for it but gave no usable answer (unreachable, stale, or the responder does not know). */
    UNDETERMINED,
    /** No source can speak for it (no CRL of its issuer, no distribution point, no responder). */
    NO_SOURCE
}
