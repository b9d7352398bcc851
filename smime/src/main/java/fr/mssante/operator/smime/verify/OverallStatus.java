package fr.mssante.operator.smime.verify;

import java.util.Locale;

public enum OverallStatus {
    /** Signed, every signer good (signature, chain, dates, usage, address, and not revoked per a current source). */
    GOOD,
    /**
     * Signed, no signer bad, but the revocation status of at least one could not be established (CRL and OCSP
     * unreachable, stale or absent): not reported good.
     */
    UNDETERMINED,
    /** Signed but at least one signer bad, or malformed S/MIME. */
    BAD,
    /** Not a signed message. */
    NONE;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
