package fr.mssante.operator.trust.pki;

import java.time.Instant;

/**
 * What one revocation source (a CRL or an OCSP responder) says about one certificate.
 *
 * @param state GOOD, REVOKED or UNAVAILABLE
 * @param revokedAt revocation time (REVOKED only)
 * @param detail why UNAVAILABLE, for logs
 */
public record RevocationStatus(State state, Instant revokedAt, String detail) {
    public enum State { GOOD, REVOKED, UNAVAILABLE }

    public static RevocationStatus good() {
        return new RevocationStatus(State.GOOD, null, "");
    }

    public static RevocationStatus revoked(Instant at) {
        return new RevocationStatus(State.REVOKED, at, "");
    }

    public static RevocationStatus unavailable(String detail) {
        return new RevocationStatus(State.UNAVAILABLE, null, detail);
    }
}
