package fr.mssante.operator.extensions.webadmin;

/** What a WebAdmin request names does not exist: {@link JsonRoute} answers 404 with the message. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
