package fr.mssante.operator.documents.ins;

import java.util.Optional;

/**
 * The assigning authorities of the INS (health-formats.md §3, from the ANS CDA examples and FR Core):
 * INS-NIR {@code 1.2.250.1.213.1.4.8}, INS-NIA {@code 1.2.250.1.213.1.4.9} (provisional number), the ANS test
 * INS-NIR {@code 1.2.250.1.213.1.4.10} and the demonstration INS-NIR {@code 1.2.250.1.213.1.4.11}.
 */
public enum InsOid {
    NIR("1.2.250.1.213.1.4.8", Environment.PRODUCTION, false),
    NIA("1.2.250.1.213.1.4.9", Environment.PRODUCTION, true),
    TEST_NIR("1.2.250.1.213.1.4.10", Environment.TEST, false),
    DEMO_NIR("1.2.250.1.213.1.4.11", Environment.DEMO, false);

    private final String oid;
    private final Environment environment;
    private final boolean provisional;

    InsOid(String oid, Environment environment, boolean provisional) {
        this.oid = oid;
        this.environment = environment;
        this.provisional = provisional;
    }

    public String oid() {
        return oid;
    }

    public Environment environment() {
        return environment;
    }

    /** INS-NIA: a provisional number given while the NIR is not known. */
    public boolean provisional() {
        return provisional;
    }

    /** The INS authority with this OID (a {@code urn:oid:} prefix is accepted), if it is one. */
    public static Optional<InsOid> of(String oid) {
        if (oid == null) {
            return Optional.empty();
        }
        String bare = oid.trim();
        if (bare.startsWith("urn:oid:")) {
            bare = bare.substring("urn:oid:".length());
        }
        for (InsOid candidate : values()) {
            if (candidate.oid.equals(bare)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
