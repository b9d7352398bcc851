package fr.mssante.operator.trust.list;

/** A liste blanche document that is refused; the message is the reason, fit for the refresh history. */
public final class TrustListParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public TrustListParseException(String reason) {
        super(reason);
    }

    public TrustListParseException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
