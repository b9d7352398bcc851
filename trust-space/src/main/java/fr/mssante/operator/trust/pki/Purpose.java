package fr.mssante.operator.trust.pki;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** What the peer certificate is used for: checked against its extended key usage when it has one. */
public enum Purpose {
    /** An SMTP client connecting to our MX (inbound). */
    TLS_CLIENT(KeyPurposeId.id_kp_clientAuth.getId()),
    /** An MX we deliver to (outbound). */
    TLS_SERVER(KeyPurposeId.id_kp_serverAuth.getId()),
    ANY(null);

    private final String oid;

    Purpose(String oid) {
        this.oid = oid;
    }

    String oid() {
        return oid;
    }
}
