package fr.mssante.operator.trust.store;

/** Result of one refresh attempt. */
public enum RefreshOutcome {
    /** A new list was accepted and is now in force. */
    UPDATED,
    /** The download is identical (same SHA-256) to the list in force. */
    UNCHANGED,
    /** The download was read but refused (malformed, truncated, empty, suspiciously small); the old list stays. */
    REFUSED,
    /** The download failed (network, I/O, TLS); the old list stays. */
    FAILED
}
