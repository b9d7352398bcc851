package fr.mssante.operator.delivery;

import java.security.cert.X509Certificate;

import fr.mssante.operator.trust.policy.PolicyDecision;

/** The trust space's outbound decisions (the server's {@code TrustSpace}). */
public interface OutboundTrust {
    /** May mail leave for this domain at all (before any connection)? */
    PolicyDecision domain(String recipientDomain);

    /** After the handshake with an MX of {@code recipientDomain}: its chain to our roots, its DN listed for the domain. */
    PolicyDecision peer(String recipientDomain, X509Certificate[] peerChain);
}
