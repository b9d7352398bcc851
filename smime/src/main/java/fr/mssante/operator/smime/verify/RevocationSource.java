package fr.mssante.operator.smime.verify;

import java.security.cert.X509Certificate;
import java.time.Instant;

import fr.mssante.operator.trust.pki.RevocationChecker;
import fr.mssante.operator.trust.pki.RevocationStatus;

/**
 * Whether a certificate of a signer's chain is revoked. Production uses {@link #of(RevocationChecker)}: the trust
 * space's checker (configured CRL files, CRLs fetched from the certificate's distribution points, OCSP when the
 * certificate names a responder; fetched answers cached until their nextUpdate).
 */
public interface RevocationSource {
    /** What the sources say about {@code certificate} (issued by {@code issuer}) at {@code now}. Never throws. */
    RevocationVerdict check(X509Certificate certificate, X509Certificate issuer, Instant now);

    /** No source at all: every status is undetermined (never good). */
    static RevocationSource none() {
        return (certificate, issuer, now) -> RevocationVerdict.NO_SOURCE;
    }

    /** The shared CRL / distribution point / OCSP checker of the trust space. */
    static RevocationSource of(RevocationChecker checker) {
        return (certificate, issuer, now) -> {
            try {
                if (!checker.hasSource(certificate, issuer)) {
                    return RevocationVerdict.NO_SOURCE;
                }
                RevocationStatus status = checker.check(certificate, issuer, now);
                return switch (status.state()) {
                    case GOOD -> RevocationVerdict.GOOD;
                    case REVOKED -> RevocationVerdict.REVOKED;
                    case UNAVAILABLE -> RevocationVerdict.UNDETERMINED;
                };
            } catch (RuntimeException e) {
                return RevocationVerdict.UNDETERMINED;
            }
        };
    }
}
