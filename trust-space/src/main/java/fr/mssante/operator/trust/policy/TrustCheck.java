package fr.mssante.operator.trust.policy;

import fr.mssante.operator.trust.pki.PeerValidationResult;

/**
 * A policy decision with the certificate verdict behind it (for the SMTP reply and the audit record).
 *
 * @param decision what to answer
 * @param certificate the peer certificate validation (null when there was no TLS)
 */
public record TrustCheck(PolicyDecision decision, PeerValidationResult certificate) {
}
