package fr.mssante.operator.trust.policy;

/**
 * A trust space decision, ready for an SMTP reply or a DSN.
 *
 * @param accepted whether the exchange may go on
 * @param reason the reason (ACCEPTED when accepted)
 * @param smtpCode basic reply code (250 when accepted, 4xx temporary, 5xx permanent)
 * @param enhancedStatus RFC 3463 status ({@code 2.0.0}, {@code 5.7.1}...)
 * @param text ASCII reason text, one line
 */
public record PolicyDecision(boolean accepted, PolicyReason reason, int smtpCode, String enhancedStatus, String text) {
    public PolicyDecision {
        text = SmtpText.sanitize(text);
    }

    static PolicyDecision accept(String text) {
        return new PolicyDecision(true, PolicyReason.ACCEPTED, 250, "2.0.0", text);
    }

    /** Whether the refusal is final (5xx: bounce now) rather than temporary (4xx: retry). */
    public boolean permanent() {
        return smtpCode >= 500;
    }

    /** The reply line without CRLF, e.g. {@code 550 5.7.1 certificate DN not listed for domain x}. */
    public String smtpReply() {
        return smtpCode + " " + enhancedStatus + " " + text;
    }
}
