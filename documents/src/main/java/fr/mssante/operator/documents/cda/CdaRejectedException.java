package fr.mssante.operator.documents.cda;

/** The bytes are not an acceptable CDA; {@link #reason()} is the code. */
public final class CdaRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final CdaRejection reason;

    public CdaRejectedException(CdaRejection reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public CdaRejection reason() {
        return reason;
    }
}
