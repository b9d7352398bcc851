package fr.mssante.operator.healthspace.mailbox;

/** The citizen's mailbox could not be read or written (server down, refused login, refused message…). */
public class MailboxException extends RuntimeException {
    public MailboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
