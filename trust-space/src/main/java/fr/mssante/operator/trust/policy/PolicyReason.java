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
    DN_NOT_LISTED,
    /** An address of one of our own domains (envelope or From:/Sender:) presented by another operator. */
    OWN_DOMAIN_FROM_OUTSIDE,
    /** A From: or Sender: domain that the liste blanche does not bind to the presenting certificate. */
    HEADER_DOMAIN_NOT_LISTED,
    /** No From: header, several, or one that cannot be read. */
    HEADER_FROM_INVALID,
    /** The null reverse-path ({@code MAIL FROM:<>}) on anything but a delivery or disposition report. */
    NULL_SENDER_NOT_A_REPORT
}
