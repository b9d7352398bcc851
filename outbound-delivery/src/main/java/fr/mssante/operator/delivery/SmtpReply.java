package fr.mssante.operator.delivery;

import java.util.Optional;

/**
 * One SMTP reply: its code, its (possibly multi-line, newline-joined) text, and the host that sent it when it came
 * from a remote MTA (absent for the replies we make up ourselves: not listed, cannot connect…), for the DSN's
 * {@code Remote-MTA} and {@code Diagnostic-Code: smtp;}.
 */
public record SmtpReply(int code, String text, Optional<String> remoteMta) {
    public SmtpReply(int code, String text) {
        this(code, text, Optional.empty());
    }

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
