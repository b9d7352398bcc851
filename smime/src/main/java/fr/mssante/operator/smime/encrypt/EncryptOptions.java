package fr.mssante.operator.smime.encrypt;

/**
 * @param cipher content encryption
 * @param rsaOaep RSAES-OAEP (SHA-256) key transport for RSA recipients instead of PKCS#1 v1.5
 */
public record EncryptOptions(ContentCipher cipher, boolean rsaOaep) {
    public static final EncryptOptions DEFAULT = new EncryptOptions(ContentCipher.AES256_CBC, false);
}
