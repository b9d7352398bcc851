package fr.mssante.operator.trust.store;

/** A database failure of the trust list store. */
public final class TrustListStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrustListStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
