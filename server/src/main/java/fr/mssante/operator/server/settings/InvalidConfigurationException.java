package fr.mssante.operator.server.settings;

/** The configuration cannot be used; the message names the file (and line or key where known). */
public class InvalidConfigurationException extends IllegalStateException {
    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
