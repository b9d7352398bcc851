package fr.mssante.operator.documents.antivirus;

/**
 * The answer of {@link ClamdClient#scan}. {@link Unavailable} means "clamd could not be asked" (not running, refused,
 * timed out, connection lost): the mail must wait and be scanned later, never delivered unscanned. {@link Error}
 * means clamd (or this client) refused this content — asking again will not help.
 */
public sealed interface ScanResult {
    /** Whether asking again later may give an answer (only {@link Unavailable}). */
    default boolean retryable() {
        return false;
    }

    record Clean() implements ScanResult {
    }

    /** clamd found {@code signature} (e.g. {@code Eicar-Test-Signature}). */
    record Infected(String signature) implements ScanResult {
    }

    record Unavailable(UnavailableReason reason, String detail) implements ScanResult {
        @Override
        public boolean retryable() {
            return true;
        }
    }

    record Error(ErrorReason reason, String detail) implements ScanResult {
    }

    enum UnavailableReason {
        /** Nothing listens at the address (connection refused, no socket file). */
        CONNECTION_REFUSED,
        /** Connecting, sending or waiting for the answer took longer than the timeout. */
        TIMEOUT,
        /** clamd closed the connection without an answer. */
        CONNECTION_LOST,
        /** Any other network error. */
        IO_ERROR
    }

    enum ErrorReason {
        /** The content is larger than {@link ClamdSettings#maxStreamBytes()} or clamd's StreamMaxLength. */
        TOO_LARGE,
        /** clamd answered {@code ... ERROR}. */
        CLAMD_ERROR,
        /** clamd answered something this client does not understand. */
        PROTOCOL,
        /** The content to scan could not be read. */
        INPUT_UNREADABLE
    }
}
