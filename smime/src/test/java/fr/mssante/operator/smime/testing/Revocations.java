package fr.mssante.operator.smime.testing;

import java.security.cert.X509CRL;
import java.time.Duration;
import java.util.List;

import fr.mssante.operator.smime.verify.RevocationSource;
import fr.mssante.operator.trust.pki.RevocationChecker;

/** Revocation sources for tests, through the production checker (CRLs only, no network). */
public final class Revocations {
    private Revocations() {
    }

    /** These CRLs only. */
    public static RevocationSource crls(X509CRL... crls) {
        return RevocationSource.of(RevocationChecker.offline(List.of(crls)));
    }

    /** A current CRL of this PKI revoking nothing (current around {@link TestPki#NOW}). */
    public static RevocationSource nothingRevoked(TestPki pki) {
        return crls(pki.crl(List.of(), TestPki.NOW.minus(Duration.ofDays(1)), TestPki.NOW.plus(Duration.ofDays(30))));
    }
}
