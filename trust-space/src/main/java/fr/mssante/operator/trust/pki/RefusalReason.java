package fr.mssante.operator.trust.pki;

/** Why a peer certificate is refused. */
public enum RefusalReason {
    NO_CERTIFICATE(false, "no certificate presented"),
    EXPIRED(false, "certificate expired"),
    NOT_YET_VALID(false, "certificate not yet valid"),
    UNKNOWN_CA(false, "certificate not issued by an accepted authority"),
    WRONG_PURPOSE(false, "certificate not allowed for this use"),
    REVOKED(false, "certificate revoked"),
    /** Revocation status cannot be established now (CRL/OCSP unreachable or stale): a temporary failure. */
    REVOCATION_UNAVAILABLE(true, "certificate revocation status unavailable");

    private final boolean temporary;
    private final String text;

    RefusalReason(boolean temporary, String text) {
        this.temporary = temporary;
        this.text = text;
    }

    /** Whether retrying later may succeed (4xx rather than 5xx). */
    public boolean temporary() {
        return temporary;
    }

    /** Short human text, fit for an SMTP reply. */
    public String text() {
        return text;
    }
}
