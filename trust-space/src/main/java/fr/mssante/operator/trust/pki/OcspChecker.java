package fr.mssante.operator.trust.pki;

import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation by OCSP, for certificates naming a responder (AIA). The response must be signed by the issuer or by a
 * responder certificate the issuer delegated (id-kp-OCSPSigning), be current, and echo our nonce when it has one.
 */
final class OcspChecker {
    private static final Logger LOG = LoggerFactory.getLogger(OcspChecker.class);
    private static final Duration SKEW = Duration.ofMinutes(5);

    private final HttpFetcher fetcher;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(RevocationStatus status, Instant until) {
    }

    OcspChecker(HttpFetcher fetcher, Duration ttl) {
        this.fetcher = fetcher;
        this.ttl = ttl;
    }

    /** Null when the certificate names no responder. */
    RevocationStatus check(X509Certificate cert, X509Certificate issuer, Instant now) {
        List<URI> responders = CertificateExtensions.ocspResponders(cert);
        if (responders.isEmpty()) {
            return null;
        }
        String key = issuer.getSubjectX500Principal().getName() + "#" + cert.getSerialNumber();
        Cached c = cache.get(key);
        if (c != null && c.until().isAfter(now)) {
            return c.status();
        }
        String problem = "";
        for (URI uri : responders) {
            try {
                Cached answer = query(uri, cert, issuer, now);
                cache.put(key, answer);
                return answer.status();
            } catch (Exception e) {
                problem = "OCSP " + uri + ": " + e.getMessage();
                LOG.debug("OCSP query failed at {}: {}", uri, e.getMessage());
            }
        }
        return RevocationStatus.unavailable(problem);
    }

    private Cached query(URI uri, X509Certificate cert, X509Certificate issuer, Instant now) throws Exception {
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        OCSPReq request = new OCSPReqBuilder().addRequest(id)
                .setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(nonce))))
                .build();
        OCSPResp response = new OCSPResp(fetcher.post(uri, "application/ocsp-request", request.getEncoded()));
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new IllegalStateException("responder status " + response.getStatus());
        }
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        verifySignature(basic, issuer, now);
        Extension nonceExt = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonceExt != null && !nonceExt.getExtnValue().equals(new DEROctetString(new DEROctetString(nonce)))
                && !nonceExt.getExtnValue().equals(new DEROctetString(nonce))) {
            throw new IllegalStateException("nonce mismatch");
        }
        for (SingleResp single : basic.getResponses()) {
            if (!single.getCertID().equals(id)) {
                continue;
            }
            Instant thisUpdate = single.getThisUpdate().toInstant();
            Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
            if (thisUpdate.isAfter(now.plus(SKEW)) || (nextUpdate != null && nextUpdate.plus(SKEW).isBefore(now))) {
                throw new IllegalStateException("response not current");
            }
            Instant until = nextUpdate == null || nextUpdate.isAfter(now.plus(ttl)) ? now.plus(ttl) : nextUpdate;
            CertificateStatus status = single.getCertStatus();
            if (status == CertificateStatus.GOOD) {
                return new Cached(RevocationStatus.good(), until);
            }
            if (status instanceof RevokedStatus revoked) {
                return new Cached(RevocationStatus.revoked(revoked.getRevocationTime().toInstant()), until);
            }
            return new Cached(RevocationStatus.unavailable("OCSP status unknown"), now);
        }
        throw new IllegalStateException("no response for the certificate");
    }

    private static void verifySignature(BasicOCSPResp basic, X509Certificate issuer, Instant now) throws Exception {
        JcaContentVerifierProviderBuilder verifiers = new JcaContentVerifierProviderBuilder();
        if (basic.isSignatureValid(verifiers.build(issuer.getPublicKey()))) {
            return;
        }
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate responder = new JcaX509CertificateConverter().getCertificate(holder);
            if (!responder.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                continue;
            }
            responder.verify(issuer.getPublicKey());
            responder.checkValidity(Date.from(now));
            List<String> eku = responder.getExtendedKeyUsage();
            if (eku == null || !eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                continue;
            }
            if (basic.isSignatureValid(verifiers.build(responder.getPublicKey()))) {
                return;
            }
        }
        throw new IllegalStateException("response signature not trusted");
    }
}
