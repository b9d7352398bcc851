package fr.mssante.operator.trust.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Settings of {@link PeerCertificateValidator}.
 *
 * @param roots accepted trust anchors ({@code MSS_TRUST_ROOTS})
 * @param crlFiles CRL files (PEM or DER) read at start and on {@link PeerCertificateValidator#reloadCrlFiles()}
 * @param fetchCrls whether to download CRLs from the certificates' http distribution points
 * @param ocsp whether to query the OCSP responder named in the certificate (AIA)
 * @param softFail accept (with a warning) when no revocation source answers; otherwise refuse temporarily
 * @param cacheTtl longest time a fetched CRL or OCSP answer is reused
 */
public record PeerValidationConfig(List<X509Certificate> roots, List<Path> crlFiles, boolean fetchCrls, boolean ocsp,
                                   boolean softFail, Duration cacheTtl) {
    public PeerValidationConfig {
        roots = List.copyOf(roots);
        crlFiles = List.copyOf(crlFiles);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("at least one trust root is required");
        }
    }

    /** Roots only; CRLs fetched, OCSP on, hard fail, one-hour cache. */
    public static PeerValidationConfig defaults(List<X509Certificate> roots) {
        return new PeerValidationConfig(roots, List.of(), true, true, false, Duration.ofHours(1));
    }

    public PeerValidationConfig withCrlFiles(List<Path> files) {
        return new PeerValidationConfig(roots, files, fetchCrls, ocsp, softFail, cacheTtl);
    }

    public PeerValidationConfig withSoftFail(boolean soft) {
        return new PeerValidationConfig(roots, crlFiles, fetchCrls, ocsp, soft, cacheTtl);
    }

    public PeerValidationConfig withFetchCrls(boolean fetch) {
        return new PeerValidationConfig(roots, crlFiles, fetch, ocsp, softFail, cacheTtl);
    }

    public PeerValidationConfig withOcsp(boolean enabled) {
        return new PeerValidationConfig(roots, crlFiles, fetchCrls, enabled, softFail, cacheTtl);
    }
}
