package fr.mssante.operator.trust.pki;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation by CRL: configured CRL files plus CRLs fetched from the certificate's distribution points (cached until
 * their nextUpdate or the cache TTL, whichever comes first). A CRL is used only when signed by the issuer and current.
 */
final class CrlChecker {
    private static final Logger LOG = LoggerFactory.getLogger(CrlChecker.class);
    private static final Duration SKEW = Duration.ofMinutes(5);

    private volatile List<X509CRL> staticCrls;
    private final HttpFetcher fetcher;
    private final Duration ttl;
    private final Map<URI, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(X509CRL crl, Instant fetchedAt) {
    }

    CrlChecker(List<X509CRL> staticCrls, HttpFetcher fetcher, Duration ttl) {
        this.staticCrls = List.copyOf(staticCrls);
        this.fetcher = fetcher;
        this.ttl = ttl;
    }

    void replaceStaticCrls(List<X509CRL> crls) {
        this.staticCrls = List.copyOf(crls);
    }

    /** Whether any CRL could speak for this certificate (a configured CRL of its issuer, or a distribution point). */
    boolean hasSource(X509Certificate cert, X509Certificate issuer) {
        for (X509CRL crl : staticCrls) {
            if (crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                return true;
            }
        }
        return fetcher != null && !CertificateExtensions.crlDistributionPoints(cert).isEmpty();
    }

    RevocationStatus check(X509Certificate cert, X509Certificate issuer, Instant now) {
        List<X509CRL> candidates = new ArrayList<>(staticCrls);
        List<String> problems = new ArrayList<>();
        if (fetcher != null) {
            for (URI uri : CertificateExtensions.crlDistributionPoints(cert)) {
                X509CRL crl = fetched(uri, now, problems);
                if (crl != null) {
                    candidates.add(crl);
                }
            }
        }
        X509CRL best = null;
        for (X509CRL crl : candidates) {
            if (usable(crl, issuer, now) && (best == null || crl.getThisUpdate().after(best.getThisUpdate()))) {
                best = crl;
            }
        }
        if (best == null) {
            return RevocationStatus.unavailable(problems.isEmpty() ? "no current CRL" : String.join("; ", problems));
        }
        X509CRLEntry entry = best.getRevokedCertificate(cert.getSerialNumber());
        if (entry != null && !entry.getRevocationDate().toInstant().isAfter(now)) {
            return RevocationStatus.revoked(entry.getRevocationDate().toInstant());
        }
        return RevocationStatus.good();
    }

    private X509CRL fetched(URI uri, Instant now, List<String> problems) {
        Cached c = cache.get(uri);
        boolean fresh = c != null && c.fetchedAt().plus(ttl).isAfter(now)
                && (c.crl().getNextUpdate() == null || c.crl().getNextUpdate().toInstant().isAfter(now));
        if (fresh) {
            return c.crl();
        }
        try {
            List<X509CRL> crls = Pem.readCrls(fetcher.get(uri));
            if (crls.isEmpty()) {
                throw new IOException("no CRL in the response");
            }
            cache.put(uri, new Cached(crls.get(0), now));
            LOG.debug("CRL fetched from {}", uri);
            return crls.get(0);
        } catch (IOException | RuntimeException e) {
            problems.add("CRL " + uri + ": " + e.getMessage());
            LOG.debug("CRL fetch failed from {}: {}", uri, e.getMessage());
            return c == null ? null : c.crl();
        }
    }

    private static boolean usable(X509CRL crl, X509Certificate issuer, Instant now) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        if (crl.getThisUpdate().toInstant().isAfter(now.plus(SKEW))) {
            return false;
        }
        if (crl.getNextUpdate() != null && crl.getNextUpdate().toInstant().plus(SKEW).isBefore(now)) {
            return false;
        }
        try {
            crl.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
