package fr.mssante.operator.smime.verify;

import java.util.Locale;

public enum OverallStatus {
    /** Signed, every signer good. */
    GOOD,
    /** Signed but at least one signer bad, or malformed S/MIME. */
    BAD,
    /** Not a signed message. */
    NONE;

    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
