package fr.mssante.operator.trust.policy;

import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.list.Domains;
import fr.mssante.operator.trust.list.TrustList;
import fr.mssante.operator.trust.pki.PeerValidationResult;
import fr.mssante.operator.trust.pki.RefusalReason;

/**
 * The trust space rule: mail enters only from, and leaves only to, an operator whose certificate is valid and whose
 * (domain, certificate subject DN) pair is on the liste blanche. Stateless; thread-safe.
 */
public final class TrustSpacePolicy {

    /**
     * Inbound check, at MAIL FROM.
     *
     * @param mailFromDomain domain of the reverse-path; null or empty for the null sender ({@code <>}), which is
     *     accepted when the certificate DN is listed for at least one domain (DSNs between operators)
     * @param tls whether the session is under TLS
     * @param certificate the validation of the client certificate (null when none was presented)
     * @param list the liste blanche in force
     */
    public PolicyDecision checkInbound(String mailFromDomain, boolean tls, PeerValidationResult certificate,
                                       TrustList list) {
        if (!tls) {
            return new PolicyDecision(false, PolicyReason.NO_TLS, 530, "5.7.0",
                    "Must issue a STARTTLS command first (MSSante trust space)");
        }
        PolicyDecision cert = certificateDecision(certificate, "client");
        if (cert != null) {
            return cert;
        }
        if (list == null || list.isEmpty()) {
            return listUnavailable();
        }
        DistinguishedName dn = certificate.subject();
        String domain = Domains.normalize(mailFromDomain);
        if (domain.isEmpty()) {
            if (list.containsDn(dn)) {
                return PolicyDecision.accept("null sender from a listed operator");
            }
            return new PolicyDecision(false, PolicyReason.DN_NOT_LISTED, 550, "5.7.1",
                    "certificate DN " + dn.original() + " not listed for any domain of the MSSante liste blanche");
        }
        if (!list.containsDomain(domain)) {
            return new PolicyDecision(false, PolicyReason.DOMAIN_NOT_LISTED, 550, "5.7.1",
                    "sender domain " + domain + " not in the MSSante liste blanche");
        }
        if (!list.isListed(domain, dn)) {
            return new PolicyDecision(false, PolicyReason.DN_NOT_LISTED, 550, "5.7.1",
                    "certificate DN " + dn.original() + " not listed for domain " + domain);
        }
        return PolicyDecision.accept("operator listed for " + domain);
    }

    /** Outbound check before connecting: may mail for this domain leave at all? */
    public PolicyDecision checkOutboundDomain(String recipientDomain, TrustList list) {
        if (list == null || list.isEmpty()) {
            return listUnavailable();
        }
        String domain = Domains.normalize(recipientDomain);
        if (!list.containsDomain(domain)) {
            return new PolicyDecision(false, PolicyReason.DOMAIN_NOT_LISTED, 550, "5.7.1",
                    "recipient domain " + domain + " not in the MSSante liste blanche");
        }
        return PolicyDecision.accept("domain listed");
    }

    /**
     * Outbound check after the TLS handshake with the peer MX.
     *
     * @param recipientDomain the domain being delivered to
     * @param certificate the validation of the peer's server certificate
     * @param list the liste blanche in force
     */
    public PolicyDecision checkOutbound(String recipientDomain, PeerValidationResult certificate, TrustList list) {
        PolicyDecision domainDecision = checkOutboundDomain(recipientDomain, list);
        if (!domainDecision.accepted()) {
            return domainDecision;
        }
        PolicyDecision cert = certificateDecision(certificate, "peer server");
        if (cert != null) {
            return cert;
        }
        String domain = Domains.normalize(recipientDomain);
        if (!list.isListed(domain, certificate.subject())) {
            return new PolicyDecision(false, PolicyReason.DN_NOT_LISTED, 550, "5.7.1",
                    "peer certificate DN " + certificate.subject().original() + " not listed for domain " + domain);
        }
        return PolicyDecision.accept("peer listed for " + domain);
    }

    private static PolicyDecision certificateDecision(PeerValidationResult certificate, String role) {
        if (certificate == null || certificate.subject() == null) {
            return new PolicyDecision(false, PolicyReason.CERTIFICATE_REFUSED, 550, "5.7.1",
                    role + " certificate required by the MSSante trust space");
        }
        if (certificate.accepted()) {
            return null;
        }
        if (certificate.reason() == RefusalReason.REVOCATION_UNAVAILABLE) {
            return new PolicyDecision(false, PolicyReason.REVOCATION_UNAVAILABLE, 451, "4.7.1",
                    role + " " + certificate.detail() + ", try again later");
        }
        return new PolicyDecision(false, PolicyReason.CERTIFICATE_REFUSED, 550, "5.7.1",
                role + " " + certificate.detail());
    }

    private static PolicyDecision listUnavailable() {
        return new PolicyDecision(false, PolicyReason.TRUST_LIST_UNAVAILABLE, 451, "4.3.0",
                "MSSante liste blanche not available, try again later");
    }
}
