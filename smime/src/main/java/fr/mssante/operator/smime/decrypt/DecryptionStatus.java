package fr.mssante.operator.smime.decrypt;

public enum DecryptionStatus {
    /** Decrypted with one of our keys. */
    DECRYPTED,
    /** Not an enveloped S/MIME message. */
    NOT_ENCRYPTED,
    /** Encrypted, but to none of the keys we hold for these mailboxes: deliver as is. */
    NO_KEY,
    /** A key matched but decryption failed (wrong key, altered ciphertext, failed GCM tag). */
    FAILED,
    /** The CMS or MIME structure could not be parsed. */
    MALFORMED,
    /** The key store could not be read (database): retry later. */
    TEMPORARY_FAILURE
}
