package fr.mssante.operator.smime.encrypt;

public enum ContentCipher {
    /** EnvelopedData, AES-256-CBC: readable by every client and by {@code openssl smime}. The default. */
    AES256_CBC,
    /** AuthEnvelopedData (RFC 5083/8551), AES-256-GCM: {@code openssl cms} 3.x reads it, {@code openssl smime} does not. */
    AES256_GCM
}
