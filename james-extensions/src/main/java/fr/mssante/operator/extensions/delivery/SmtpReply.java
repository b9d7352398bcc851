package fr.mssante.operator.extensions.delivery;

/** One SMTP reply: its code and its (possibly multi-line, newline-joined) text. */
public record SmtpReply(int code, String text) {
    public boolean isPositive() {
        return code >= 200 && code < 400;
    }

    public boolean isTransient() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanent() {
        return code >= 500;
    }

    @Override
    public String toString() {
        return code + " " + text;
    }
}
