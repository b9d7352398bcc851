package fr.mssante.operator.trust.pki;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation status of one certificate from every source that can speak for it: configured CRL files, CRLs
 * fetched from its distribution points (cached until their nextUpdate or the cache TTL, whichever comes first) and,
 * when it names one (AIA), its OCSP responder (cached likewise). Revoked by either source is revoked; good by either
 * is good; otherwise the status is unavailable (never silently good).
 *
 * <p>One implementation for the whole server: the trust space checks TLS peers with it, the S/MIME verifier checks
 * signers with it. Thread-safe.
 */
public final class RevocationChecker {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationChecker.class);

    private final CrlChecker crls;
    private final OcspChecker ocsp;

    /**
     * @param crlFiles  CRLs read from configured files (the issuer's CRL is used when current and signed by it)
     * @param fetcher   HTTP client for distribution points and responders (may be null when neither is enabled)
     * @param fetchCrls download CRLs from the certificates' http(s) distribution points
     * @param ocsp      query the OCSP responder a certificate names
     * @param cacheTtl  longest time a fetched CRL or OCSP answer is reused (also bounded by its nextUpdate)
     */
    public RevocationChecker(List<X509CRL> crlFiles, HttpFetcher fetcher, boolean fetchCrls, boolean ocsp, Duration cacheTtl) {
        if ((fetchCrls || ocsp) && fetcher == null) {
            throw new IllegalArgumentException("an HTTP fetcher is required to fetch CRLs or ask OCSP responders");
        }
        this.crls = new CrlChecker(crlFiles, fetchCrls ? fetcher : null, cacheTtl);
        this.ocsp = ocsp ? new OcspChecker(fetcher, cacheTtl) : null;
    }

    /** Only these CRLs (no network): for tools and tests. */
    public static RevocationChecker offline(List<X509CRL> crls) {
        return new RevocationChecker(crls, null, false, false, Duration.ZERO);
    }

    /** Replaces the CRLs read from files (e.g. after an external job refreshed them). */
    public void replaceStaticCrls(List<X509CRL> crlFiles) {
        crls.replaceStaticCrls(crlFiles);
    }

    /**
     * Whether any source could speak for this certificate: a configured CRL of its issuer, a distribution point (when
     * fetching) or a responder (when OCSP is on).
     */
    public boolean hasSource(X509Certificate cert, X509Certificate issuer) {
        return crls.hasSource(cert, issuer) || (ocsp != null && !CertificateExtensions.ocspResponders(cert).isEmpty());
    }

    /** The status of {@code cert} (issued by {@code issuer}) at {@code now}. Never throws. */
    public RevocationStatus check(X509Certificate cert, X509Certificate issuer, Instant now) {
        RevocationStatus byCrl;
        RevocationStatus byOcsp;
        try {
            byCrl = crls.check(cert, issuer, now);
            byOcsp = ocsp == null ? null : ocsp.check(cert, issuer, now);
        } catch (RuntimeException e) {
            LOG.debug("revocation check failed: {}", e.toString());
            return RevocationStatus.unavailable("revocation check failed: " + e.getMessage());
        }
        if (byCrl.state() == RevocationStatus.State.REVOKED) {
            return byCrl;
        }
        if (byOcsp != null && byOcsp.state() == RevocationStatus.State.REVOKED) {
            return byOcsp;
        }
        if (byCrl.state() == RevocationStatus.State.GOOD || (byOcsp != null && byOcsp.state() == RevocationStatus.State.GOOD)) {
            return RevocationStatus.good();
        }
        return RevocationStatus.unavailable(byCrl.detail() + (byOcsp == null ? "" : "; " + byOcsp.detail()));
    }

    /** Reads CRL files (PEM or DER); an unreadable file is logged and skipped. */
    public static List<X509CRL> readCrlFiles(List<Path> files) {
        List<X509CRL> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.addAll(Pem.readCrls(f));
            } catch (IOException e) {
                LOG.warn("CRL file {} unreadable: {}", f, e.getMessage());
            }
        }
        return out;
    }
}
