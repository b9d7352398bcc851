package fr.mssante.operator.trust.pki;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.X509TrustManager;

/**
 * A TLS trust manager backed by {@link PeerCertificateValidator} (chain to the configured roots, dates, revocation),
 * for the outbound SMTP client's socket factory or an inbound listener. A refused chain aborts the handshake; the
 * (domain, DN) check stays with {@code TrustSpaceGate} after the handshake.
 */
public final class TrustSpaceTrustManager implements X509TrustManager {
    private final PeerCertificateValidator validator;
    private final X509Certificate[] acceptedIssuers;

    public TrustSpaceTrustManager(PeerCertificateValidator validator, List<X509Certificate> roots) {
        this.validator = validator;
        this.acceptedIssuers = roots.toArray(X509Certificate[]::new);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Purpose.TLS_CLIENT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, Purpose.TLS_SERVER);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return acceptedIssuers.clone();
    }

    private void check(X509Certificate[] chain, Purpose purpose) throws CertificateException {
        PeerValidationResult r = validator.validate(chain, purpose);
        if (!r.accepted()) {
            throw new RefusedCertificateException(r);
        }
    }

    /** The handshake failure, carrying the verdict (reason and text for a DSN). */
    public static final class RefusedCertificateException extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final transient PeerValidationResult result;

        RefusedCertificateException(PeerValidationResult result) {
            super(result.reason() + ": " + result.detail());
            this.result = result;
        }

        public PeerValidationResult result() {
            return result;
        }
    }
}
