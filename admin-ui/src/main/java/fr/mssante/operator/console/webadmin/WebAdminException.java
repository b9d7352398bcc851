package fr.mssante.operator.console.webadmin;

/** A WebAdmin call that failed: its HTTP status (0 when unreachable) and the server's reason, shown to the user. */
public class WebAdminException extends RuntimeException {
    private final int status;

    public WebAdminException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
