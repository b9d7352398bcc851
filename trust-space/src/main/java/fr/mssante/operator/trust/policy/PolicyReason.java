package fr.mssante.operator.trust.policy;

/** Why the trust space policy accepts or refuses a peer. */
public enum PolicyReason {
    ACCEPTED,
    /** The session is not under TLS (inbound: STARTTLS not done). */
    NO_TLS,
    /** No (or an unacceptable) peer certificate: see the validation result. */
    CERTIFICATE_REFUSED,
    /** Revocation status could not be established now: retry later. */
    REVOCATION_UNAVAILABLE,
    /** Our liste blanche is not loaded: refuse temporarily rather than reject good mail. */
    TRUST_LIST_UNAVAILABLE,
    /** The domain has no entry in the liste blanche. */
    DOMAIN_NOT_LISTED,
    /** The domain is listed, but not with this certificate DN. */
    DN_NOT_LISTED
}
