package fr.mssante.operator.documents.xml;

/** The hardened parser refused a document; {@link #reason()} says why, {@link #getMessage()} gives the parser's detail. */
public final class XmlRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final XmlRejection reason;

    public XmlRejectedException(XmlRejection reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public XmlRejection reason() {
        return reason;
    }
}
