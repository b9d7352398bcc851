package fr.mssante.operator.documents.zip;

/** {@link SafeUnzipper} refused the archive; {@link #reason()} is the code, the message a short English detail. */
public final class ZipRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ZipRejection reason;

    public ZipRejectedException(ZipRejection reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public ZipRejection reason() {
        return reason;
    }
}
