package fr.mssante.operator.trust.policy;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.inject.Inject;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.trust.pki.PeerCertificateValidator;
import fr.mssante.operator.trust.pki.PeerValidationResult;
import fr.mssante.operator.trust.pki.Purpose;
import fr.mssante.operator.trust.refresh.TrustListProvider;

/**
 * One call per SMTP decision: validates the peer chain, then applies {@link TrustSpacePolicy} with the liste blanche
 * in force. Inbound: call at MAIL FROM with the session's {@link SSLSession} (null before STARTTLS). Outbound: call
 * after the TLS handshake with the peer MX.
 */
public final class TrustSpaceGate {
    private static final Logger LOG = LoggerFactory.getLogger(TrustSpaceGate.class);

    private final PeerCertificateValidator validator;
    private final TrustListProvider lists;
    private final TrustSpacePolicy policy;

    @Inject
    public TrustSpaceGate(PeerCertificateValidator validator, TrustListProvider lists, TrustSpacePolicy policy) {
        this.validator = validator;
        this.lists = lists;
        this.policy = policy;
    }

    /** Inbound, from a TLS session (null or without a client certificate is handled). */
    public TrustCheck inbound(String mailFromDomain, SSLSession session) {
        if (session == null) {
            return inbound(mailFromDomain, false, null);
        }
        return inbound(mailFromDomain, true, peerChain(session));
    }

    /** Inbound, from an already extracted client chain (leaf first; null or empty when none). */
    public TrustCheck inbound(String mailFromDomain, boolean tls, X509Certificate[] chain) {
        PeerValidationResult cert = tls ? validator.validate(chain, Purpose.TLS_CLIENT) : null;
        PolicyDecision decision = policy.checkInbound(mailFromDomain, tls, cert, lists.current());
        LOG.debug("inbound trust check: {} {}", decision.smtpCode(), decision.reason());
        return new TrustCheck(decision, cert);
    }

    /** Outbound, before connecting: may mail leave for this domain at all? */
    public PolicyDecision outboundDomain(String recipientDomain) {
        return policy.checkOutboundDomain(recipientDomain, lists.current());
    }

    /** Outbound, after the handshake with the peer MX (its server chain, leaf first). */
    public TrustCheck outbound(String recipientDomain, X509Certificate[] peerChain) {
        PeerValidationResult cert = validator.validate(peerChain, Purpose.TLS_SERVER);
        PolicyDecision decision = policy.checkOutbound(recipientDomain, cert, lists.current());
        LOG.debug("outbound trust check: {} {}", decision.smtpCode(), decision.reason());
        return new TrustCheck(decision, cert);
    }

    /** The peer chain of a TLS session, empty when the peer sent no certificate. */
    public static X509Certificate[] peerChain(SSLSession session) {
        try {
            Certificate[] certs = session.getPeerCertificates();
            return Arrays.stream(certs).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (SSLPeerUnverifiedException e) {
            return new X509Certificate[0];
        }
    }
}
