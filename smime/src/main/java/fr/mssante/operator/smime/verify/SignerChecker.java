package fr.mssante.operator.smime.verify;

import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

import fr.mssante.operator.smime.crypto.Certificates;
import fr.mssante.operator.smime.crypto.Providers;

/** Checks each SignerInfo: signature, validity, chain, revocation, key usage, address. */
final class SignerChecker {
    private final Set<TrustAnchor> anchors;
    private final RevocationSource revocation;
    private final RevocationMode revocationMode;
    private final Clock clock;

    SignerChecker(Collection<X509Certificate> roots, RevocationSource revocation, RevocationMode mode, Clock clock) {
        this.anchors = roots.stream().map(r -> new TrustAnchor(r, null)).collect(Collectors.toUnmodifiableSet());
        this.revocation = revocation;
        this.revocationMode = mode;
        this.clock = clock;
    }

    /**
     * @param signed the signed data over the content as sent
     * @param canonical the same signature over the CRLF-canonicalised content, when different (else null)
     */
    List<SignerResult> check(CMSSignedData signed, CMSSignedData canonical, List<String> from) {
        List<X509Certificate> bag = new ArrayList<>();
        for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
            try {
                bag.add(Certificates.toX509(holder));
            } catch (Exception e) {
                // an unparsable extra certificate is ignored; the signer's own is checked below
            }
        }
        List<SignerInformation> signers = new ArrayList<>(signed.getSignerInfos().getSigners());
        List<SignerInformation> canonicalSigners = canonical == null
                ? List.of() : new ArrayList<>(canonical.getSignerInfos().getSigners());
        List<SignerResult> results = new ArrayList<>();
        for (int i = 0; i < signers.size(); i++) {
            SignerInformation alternative = i < canonicalSigners.size() ? canonicalSigners.get(i) : null;
            results.add(checkOne(signed, signers.get(i), alternative, bag, from));
        }
        return results;
    }

    private SignerResult checkOne(CMSSignedData signed, SignerInformation signer, SignerInformation alternative,
                                  List<X509Certificate> bag, List<String> from) {
        SignerId sid = signer.getSID();
        Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches(sid);
        if (matches.isEmpty()) {
            String issuer = sid.getIssuer() == null ? "" : sid.getIssuer().toString();
            return new SignerResult("", issuer, sid.getSerialNumber(), Optional.empty(), List.of(FailureReason.NO_CERTIFICATE),
                    Optional.empty());
        }
        X509Certificate certificate;
        try {
            certificate = Certificates.toX509(matches.iterator().next());
        } catch (Exception e) {
            return new SignerResult("", "", sid.getSerialNumber(), Optional.empty(), List.of(FailureReason.MALFORMED),
                    Optional.empty());
        }
        List<FailureReason> reasons = new ArrayList<>();
        signatureReason(signer, alternative, certificate).ifPresent(reasons::add);
        Instant now = clock.instant();
        Date date = Date.from(now);
        if (date.after(certificate.getNotAfter())) {
            reasons.add(FailureReason.EXPIRED);
        } else if (date.before(certificate.getNotBefore())) {
            reasons.add(FailureReason.NOT_YET_VALID);
        }
        Optional<PKIXCertPathBuilderResult> path = buildPath(certificate, bag, date);
        if (path.isEmpty()) {
            // Known CA but a certificate of the chain out of validity now? Probe in the middle of the signer's lifetime.
            long middle = certificate.getNotBefore().getTime() / 2 + certificate.getNotAfter().getTime() / 2;
            if (buildPath(certificate, bag, new Date(middle)).isEmpty()) {
                reasons.add(FailureReason.UNKNOWN_CA);
            } else if (!reasons.contains(FailureReason.EXPIRED) && !reasons.contains(FailureReason.NOT_YET_VALID)) {
                reasons.add(FailureReason.EXPIRED);
            }
        } else {
            revocationReason(path.get(), now).ifPresent(reasons::add);
        }
        if (!Certificates.allowsSigning(certificate) || !Certificates.allowsEmailProtection(certificate)) {
            reasons.add(FailureReason.WRONG_KEY_USAGE);
        }
        List<String> emails = Certificates.emails(certificate);
        Optional<String> matching = emails.stream().filter(from::contains).findFirst();
        if (matching.isEmpty()) {
            reasons.add(FailureReason.SIGNER_NOT_FROM);
        }
        Optional<String> email = matching.or(() -> emails.stream().findFirst());
        return new SignerResult(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                certificate.getIssuerX500Principal().getName(X500Principal.RFC2253),
                certificate.getSerialNumber(), email, reasons, Optional.of(certificate));
    }

    private static Optional<FailureReason> signatureReason(SignerInformation signer, SignerInformation alternative,
                                                           X509Certificate certificate) {
        Optional<FailureReason> first = verifySignature(signer, certificate);
        if (first.isPresent() && first.get() == FailureReason.TAMPERED && alternative != null) {
            return verifySignature(alternative, certificate);
        }
        return first;
    }

    private static Optional<FailureReason> verifySignature(SignerInformation signer, X509Certificate certificate) {
        try {
            // Built on the public key only: certificate validity is checked at the clock instant, not at signingTime.
            // JDK providers (SHA-256 intrinsics); BouncyCastle for what the JDK lacks (e.g. the PSS alias).
            boolean ok;
            try {
                ok = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(certificate.getPublicKey()));
            } catch (OperatorCreationException | CMSException e) {
                if (e instanceof CMSSignerDigestMismatchException) {
                    throw e;
                }
                ok = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Providers.BC)
                        .build(certificate.getPublicKey()));
            }
            return ok ? Optional.empty() : Optional.of(FailureReason.TAMPERED);
        } catch (CMSSignerDigestMismatchException e) {
            return Optional.of(FailureReason.TAMPERED);
        } catch (Exception e) {
            return Optional.of(FailureReason.MALFORMED);
        }
    }

    private Optional<PKIXCertPathBuilderResult> buildPath(X509Certificate certificate, List<X509Certificate> bag, Date date) {
        if (anchors.isEmpty()) {
            return Optional.empty();
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(date);
            List<X509Certificate> store = new ArrayList<>(bag);
            store.add(certificate);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
            return Optional.of((PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * Each certificate of the path is asked about (the signer always; a CA certificate when some source can speak for
     * it). Revoked anywhere: REVOKED. The signer's status, or a CA's that a source should know, not established:
     * REVOCATION_UNKNOWN when revocation is required (bad), else REVOCATION_UNDETERMINED (the signer is reported
     * undetermined, never good).
     */
    private Optional<FailureReason> revocationReason(PKIXCertPathBuilderResult result, Instant now) {
        @SuppressWarnings("unchecked")
        List<X509Certificate> path = (List<X509Certificate>) result.getCertPath().getCertificates();
        X509Certificate anchor = result.getTrustAnchor().getTrustedCert();
        boolean unknown = false;
        for (int i = 0; i < path.size(); i++) {
            X509Certificate certificate = path.get(i);
            X509Certificate issuer = i + 1 < path.size() ? path.get(i + 1) : anchor;
            RevocationVerdict verdict;
            try {
                verdict = revocation.check(certificate, issuer, now);
            } catch (RuntimeException e) {
                verdict = RevocationVerdict.UNDETERMINED;
            }
            if (verdict == RevocationVerdict.REVOKED) {
                return Optional.of(FailureReason.REVOKED);
            }
            unknown |= verdict == RevocationVerdict.UNDETERMINED || (verdict == RevocationVerdict.NO_SOURCE && i == 0)
                    || verdict == null;
        }
        if (!unknown) {
            return Optional.empty();
        }
        return Optional.of(revocationMode == RevocationMode.REQUIRE
                ? FailureReason.REVOCATION_UNKNOWN : FailureReason.REVOCATION_UNDETERMINED);
    }
}
