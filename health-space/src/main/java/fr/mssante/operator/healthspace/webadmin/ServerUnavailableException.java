package fr.mssante.operator.healthspace.webadmin;

/** The mail server could not answer (down, timeout, unexpected status): shown to the citizen as such, never hidden. */
public class ServerUnavailableException extends RuntimeException {
    public ServerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public ServerUnavailableException(String message) {
        super(message);
    }
}
