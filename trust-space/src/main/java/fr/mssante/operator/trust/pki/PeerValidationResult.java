package fr.mssante.operator.trust.pki;

import java.util.List;

import fr.mssante.operator.trust.dn.DistinguishedName;

/**
 * The verdict on a peer certificate chain.
 *
 * @param accepted whether the chain is acceptable
 * @param reason why not (null when accepted)
 * @param detail human text, fit for an SMTP reply or a DSN (no secret, no message content)
 * @param subject the leaf's subject DN (null when no certificate)
 * @param warnings non-fatal findings (e.g. revocation soft-failed)
 */
public record PeerValidationResult(boolean accepted, RefusalReason reason, String detail, DistinguishedName subject,
                                   List<String> warnings) {
    public PeerValidationResult {
        warnings = List.copyOf(warnings);
    }

    public static PeerValidationResult accept(DistinguishedName subject, List<String> warnings) {
        return new PeerValidationResult(true, null, "certificate accepted", subject, warnings);
    }

    public static PeerValidationResult refuse(RefusalReason reason, String detail, DistinguishedName subject) {
        return new PeerValidationResult(false, reason, detail, subject, List.of());
    }
}
