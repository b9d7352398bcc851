package fr.mssante.operator.dmp.outbox;

/** A database failure of the outbox (the caller retries later; nothing was half-written). */
public class DmpOutboxException extends RuntimeException {
    public DmpOutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
