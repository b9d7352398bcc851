package fr.mssante.operator.trust.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.trust.dn.DistinguishedName;

/**
 * Validates a TLS peer's certificate chain for the trust space: dates (at the injected clock's instant), chain to the
 * configured roots (JDK PKIX), extended key usage, then revocation by CRL (files and distribution points) and OCSP
 * (when the certificate names a responder). The leaf's revocation status is mandatory (unless soft-fail); an
 * intermediate is checked when some source can speak for it (a configured CRL of its issuer, a distribution point or
 * a responder).
 */
public final class PeerCertificateValidator {
    private static final Logger LOG = LoggerFactory.getLogger(PeerCertificateValidator.class);

    private final PeerValidationConfig config;
    private final Clock clock;
    private final Set<TrustAnchor> anchors;
    private final RevocationChecker revocation;
    /**
     * Paths already built from a presented chain to a root (the signatures checked). Building one is the costly part
     * of a validation (2.8 % of the server's CPU in the relay profile: every MAIL FROM of a reused TLS connection
     * validates its chain again); it cannot change for a given chain and this validator's roots. The dates of every
     * certificate of a remembered path are checked again at each use, and revocation is always checked afresh.
     */
    private final Map<List<X509Certificate>, List<X509Certificate>> paths = new ConcurrentHashMap<>();
    static final int MAX_PATHS = 10_000;

    @Inject
    public PeerCertificateValidator(PeerValidationConfig config, Clock clock, HttpFetcher fetcher) {
        this.config = config;
        this.clock = clock;
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate root : config.roots()) {
            a.add(new TrustAnchor(root, null));
        }
        this.anchors = Set.copyOf(a);
        this.revocation = new RevocationChecker(RevocationChecker.readCrlFiles(config.crlFiles()), fetcher,
                config.fetchCrls(), config.ocsp(), config.cacheTtl());
    }

    /** Re-reads the configured CRL files (e.g. after an external job refreshed them). */
    public void reloadCrlFiles() {
        revocation.replaceStaticCrls(RevocationChecker.readCrlFiles(config.crlFiles()));
    }

    /**
     * @param chain the peer chain as the TLS session gives it (leaf first); may be null or empty
     * @param purpose the use the certificate is checked for
     */
    public PeerValidationResult validate(X509Certificate[] chain, Purpose purpose) {
        if (chain == null || chain.length == 0 || chain[0] == null) {
            return PeerValidationResult.refuse(RefusalReason.NO_CERTIFICATE, RefusalReason.NO_CERTIFICATE.text(),
                    null);
        }
        Instant now = clock.instant();
        X509Certificate leaf = chain[0];
        DistinguishedName subject = DistinguishedName.of(leaf.getSubjectX500Principal());
        PeerValidationResult dates = checkDates(leaf, now, subject, "certificate");
        if (dates != null) {
            return dates;
        }
        if (!purposeAllowed(leaf, purpose)) {
            return PeerValidationResult.refuse(RefusalReason.WRONG_PURPOSE,
                    RefusalReason.WRONG_PURPOSE.text() + " (" + purpose + ")", subject);
        }
        List<X509Certificate> path;
        try {
            path = path(chain, now);
        } catch (GeneralSecurityException e) {
            for (int i = 1; i < chain.length; i++) {
                PeerValidationResult issuerDates = checkDates(chain[i], now, subject, "issuer certificate");
                if (issuerDates != null) {
                    return issuerDates;
                }
            }
            LOG.debug("no path to the trust roots: {}", e.getMessage());
            return PeerValidationResult.refuse(RefusalReason.UNKNOWN_CA, RefusalReason.UNKNOWN_CA.text()
                    + " (issuer " + leaf.getIssuerX500Principal().getName() + ")", subject);
        }
        return checkRevocation(path, now, subject);
    }

    /** The remembered path of {@code chain} when all its certificates are valid at {@code now}, else a new one. */
    private List<X509Certificate> path(X509Certificate[] chain, Instant now) throws GeneralSecurityException {
        List<X509Certificate> presented = Arrays.asList(chain.clone());
        List<X509Certificate> known = paths.get(presented);
        if (known != null && allValidAt(known, now)) {
            return known;
        }
        List<X509Certificate> built = List.copyOf(buildPath(chain, now));
        if (paths.size() >= MAX_PATHS) {
            paths.clear();
        }
        paths.put(presented, built);
        return built;
    }

    private static boolean allValidAt(List<X509Certificate> path, Instant now) {
        for (X509Certificate certificate : path) {
            if (now.isBefore(certificate.getNotBefore().toInstant()) || now.isAfter(certificate.getNotAfter().toInstant())) {
                return false;
            }
        }
        return true;
    }

    private List<X509Certificate> buildPath(X509Certificate[] chain, Instant now) throws GeneralSecurityException {
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(chain[0]);
        PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
        params.setRevocationEnabled(false);
        params.setDate(Date.from(now));
        params.addCertStore(CertStore.getInstance("Collection",
                new CollectionCertStoreParameters(Arrays.asList(chain))));
        PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX")
                .build(params);
        List<X509Certificate> path = new ArrayList<>();
        for (Certificate c : result.getCertPath().getCertificates()) {
            path.add((X509Certificate) c);
        }
        path.add(result.getTrustAnchor().getTrustedCert());
        return path;
    }

    private PeerValidationResult checkRevocation(List<X509Certificate> path, Instant now, DistinguishedName subject) {
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < path.size() - 1; i++) {
            X509Certificate cert = path.get(i);
            X509Certificate issuer = path.get(i + 1);
            String which = i == 0 ? "certificate" : "issuer certificate " + cert.getSubjectX500Principal().getName();
            if (i > 0 && !revocation.hasSource(cert, issuer)) {
                // an intermediate with no distribution point, no responder and no configured CRL of its issuer
                LOG.debug("no revocation source for {}", which);
                continue;
            }
            RevocationStatus status = revocation.check(cert, issuer, now);
            if (status.state() == RevocationStatus.State.REVOKED) {
                return PeerValidationResult.refuse(RefusalReason.REVOKED,
                        (i == 0 ? "certificate" : which) + " revoked on " + status.revokedAt(), subject);
            }
            if (status.state() != RevocationStatus.State.GOOD) {
                if (!config.softFail()) {
                    LOG.debug("revocation unavailable: {}", status.detail());
                    return PeerValidationResult.refuse(RefusalReason.REVOCATION_UNAVAILABLE,
                            RefusalReason.REVOCATION_UNAVAILABLE.text() + " for the " + which, subject);
                }
                warnings.add("revocation status unavailable for the " + which + " (soft-fail)");
            }
        }
        return PeerValidationResult.accept(subject, warnings);
    }

    private static PeerValidationResult checkDates(X509Certificate cert, Instant now, DistinguishedName subject,
                                                   String which) {
        try {
            cert.checkValidity(Date.from(now));
            return null;
        } catch (CertificateExpiredException e) {
            return PeerValidationResult.refuse(RefusalReason.EXPIRED,
                    which + " expired on " + cert.getNotAfter().toInstant(), subject);
        } catch (CertificateNotYetValidException e) {
            return PeerValidationResult.refuse(RefusalReason.NOT_YET_VALID,
                    which + " not valid before " + cert.getNotBefore().toInstant(), subject);
        }
    }

    private static boolean purposeAllowed(X509Certificate leaf, Purpose purpose) {
        if (purpose.oid() == null) {
            return true;
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            return eku == null || eku.contains(purpose.oid()) || eku.contains("2.5.29.37.0");
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
