package fr.mssante.operator.documents.xdm;

/** The archive is not a usable XDM package; {@link #reason()} says why. */
public final class XdmRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final XdmRejection reason;

    public XdmRejectedException(XdmRejection reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public XdmRejection reason() {
        return reason;
    }
}
