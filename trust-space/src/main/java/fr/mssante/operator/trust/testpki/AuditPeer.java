package fr.mssante.operator.trust.testpki;

/**
 * One audit probe: its mail domain, the DN the liste blanche lists for it, and the certificate it presents.
 *
 * @param auditCase which probe
 * @param domain its MAIL FROM domain
 * @param listedDn the DN listed for {@code domain} (RFC 4514 string)
 * @param presented the certificate (and chain) the probe presents
 */
public record AuditPeer(AuditCase auditCase, String domain, String listedDn, IssuedCertificate presented) {
}
