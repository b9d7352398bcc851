package fr.mssante.operator.smime.sign;

/**
 * @param rsaScheme scheme used for RSA keys (EC keys always use ECDSA with SHA-256)
 * @param includeChain include the intermediates of the key entry besides the signer certificate
 */
public record SignOptions(SignatureScheme rsaScheme, boolean includeChain) {
    public static final SignOptions DEFAULT = new SignOptions(SignatureScheme.RSA_PKCS1_SHA256, true);
}
