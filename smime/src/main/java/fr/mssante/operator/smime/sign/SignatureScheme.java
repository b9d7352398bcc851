package fr.mssante.operator.smime.sign;

/** Signature algorithms, all with SHA-256 (micalg sha-256). */
public enum SignatureScheme {
    RSA_PKCS1_SHA256("SHA256withRSA"),
    RSA_PSS_SHA256("SHA256withRSAandMGF1"),
    ECDSA_SHA256("SHA256withECDSA");

    private final String jcaName;

    SignatureScheme(String jcaName) {
        this.jcaName = jcaName;
    }

    public String jcaName() {
        return jcaName;
    }
}
