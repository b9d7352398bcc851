package fr.mssante.operator.trust.testpki;

/** The ANS audit probes of the trust space, with the domain prefix they use and the verdict a conforming MX gives. */
public enum AuditCase {
    VALID("cert-valide-audit", true),
    EXPIRED("cert-expire-audit", false),
    REVOKED("cert-revoque-audit", false),
    FOREIGN_CA("cert-non-igc-audit", false),
    DN_NOT_LISTED("cert-no-match-audit", false),
    CN_DIFFERENT_FROM_DN("cert-cn-diff-dn-audit", false);

    private final String prefix;
    private final boolean accepted;

    AuditCase(String prefix, boolean accepted) {
        this.prefix = prefix;
        this.accepted = accepted;
    }

    public String prefix() {
        return prefix;
    }

    /** Whether a conforming operator accepts this probe. */
    public boolean expectedAccepted() {
        return accepted;
    }

    /** The probe's mail domain under a base domain, e.g. {@code cert-valide-audit.example.test}. */
    public String domain(String baseDomain) {
        return prefix + "." + baseDomain;
    }
}
