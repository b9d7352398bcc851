package fr.mssante.operator.trust.dn;

/** A distinguished name string that cannot be parsed. */
public final class DnParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DnParseException(String message) {
        super(message);
    }
}
