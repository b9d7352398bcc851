package fr.mssante.operator.delivery.dsn;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that writes the fields of a {@code message/delivery-status} body (RFC 3464 §2): the per-message
 * fields, then one block per recipient. Every DSN the server sends (failures, delays, successes) is written here, so
 * that {@code Status:} is always a bare {@code class.subject.detail} code (RFC 3463) and the explanation goes into
 * {@code Diagnostic-Code:} ({@code smtp;} for a remote SMTP reply, {@code X-MSS;} for a refusal of ours).
 *
 * <p>Field values are US-ASCII on one line (RFC 3464 §2.1.1): line breaks are unfolded, other characters replaced.
 *
 * @param reportingMta   our host name (the HELO name), for {@code Reporting-MTA: dns; …}
 * @param envelopeId     the sender's ENVID (RFC 3461), if given
 * @param receivedFromMta the host the message came from, if known
 * @param arrivalDate    when the message arrived
 * @param recipients     one block per recipient
 */
public record DeliveryStatusReport(String reportingMta, Optional<String> envelopeId, Optional<String> receivedFromMta,
                                   ZonedDateTime arrivalDate, List<Recipient> recipients) {
    /** RFC 5322 date-time, as RFC 3464 §2.1.5 wants for {@code Arrival-Date} and {@code Last-Attempt-Date}. */
    public static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);
    private static final String CRLF = "\r\n";
    /** A reply as we hold it: {@code 550 5.7.1 text} (or {@code 550-5.7.1}), or {@code 5.7.1 text}, or {@code 550 text}. */
    private static final Pattern SMTP_REPLY = Pattern.compile("^([245]\\d\\d)[ -]?(?:([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$))?");
    private static final Pattern ENHANCED = Pattern.compile("(?:^|\\s)([245]\\.\\d{1,3}\\.\\d{1,3})(?:\\s|$)");
    private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    /** RFC 3464 §2.3.3. */
    public enum Action {
        FAILED(5), DELAYED(4), DELIVERED(2), RELAYED(2), EXPANDED(2);

        private final int statusClass;

        Action(int statusClass) {
            this.statusClass = statusClass;
        }

        public static Action parse(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }

        public String field() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The class the Status must have: 2 for success, 4 for delayed, 4 or 5 for failed (given up after retries). */
        boolean accepts(String status) {
            char first = status.charAt(0);
            return this == FAILED ? first == '5' || first == '4' : first == (char) ('0' + statusClass);
        }

        public int statusClass() {
            return statusClass;
        }
    }

    /**
     * What happened for one recipient.
     *
     * @param finalRecipient    the address we tried to deliver to
     * @param originalRecipient the sender's ORCPT for it (RFC 3461 §4.2), if given
     * @param status            the bare RFC 3463 code
     * @param diagnosticCode    {@code type; text}, if any
     * @param remoteMta         the host that gave the diagnostic, if a remote one did
     * @param lastAttempt       when we last tried, if we tried
     */
    public record Recipient(String finalRecipient, Optional<String> originalRecipient, Action action, String status,
                            Optional<String> diagnosticCode, Optional<String> remoteMta, Optional<ZonedDateTime> lastAttempt) {
        public Recipient {
            Objects.requireNonNull(finalRecipient);
            if (!STATUS.matcher(status).matches() || !action.accepts(status)) {
                throw new IllegalArgumentException("status " + status + " does not fit action " + action.field());
            }
        }

        /**
         * The recipient's block from the reason we hold: a remote SMTP reply (when {@code remoteMta} is present) gives
         * its enhanced code and an {@code smtp;} diagnostic; a local reason gives its enhanced code if it has one and
         * an {@code X-MSS;} diagnostic; otherwise {@code defaultStatus}.
         */
        public static Recipient of(String finalRecipient, Optional<String> originalRecipient, Action action,
                                   Optional<String> reason, Optional<String> remoteMta, String defaultStatus,
                                   Optional<ZonedDateTime> lastAttempt) {
            String text = reason.map(DeliveryStatusReport::oneLine).filter(r -> !r.isEmpty()).orElse("");
            String status = statusOf(text, action).orElse(defaultStatus);
            Optional<String> diagnostic = Optional.empty();
            if (!text.isEmpty()) {
                boolean smtp = remoteMta.isPresent() && SMTP_REPLY.matcher(text).lookingAt();
                diagnostic = Optional.of((smtp ? "smtp; " : "X-MSS; ") + text);
            }
            return new Recipient(finalRecipient, originalRecipient, action, status, diagnostic, remoteMta, lastAttempt);
        }
    }

    /** The enhanced status code in a reason, or the basic class of its reply code, if it fits the action. */
    static Optional<String> statusOf(String reason, Action action) {
        Matcher reply = SMTP_REPLY.matcher(reason);
        String status = null;
        if (reply.lookingAt()) {
            status = reply.group(2) != null ? reply.group(2) : reply.group(1).charAt(0) + ".0.0";
        } else {
            Matcher enhanced = ENHANCED.matcher(reason);
            if (enhanced.find()) {
                status = enhanced.group(1);
            }
        }
        return Optional.ofNullable(status).filter(action::accepts);
    }

    /** One line of US-ASCII: folded text unfolded, controls and non-ASCII replaced (RFC 3464 §2.1.1). */
    static String oneLine(String text) {
        StringBuilder line = new StringBuilder(text.length());
        for (String piece : text.trim().split("\\s*[\\r\\n]+\\s*")) {
            if (line.length() > 0) {
                line.append(' ');
            }
            for (char c : piece.toCharArray()) {
                line.append(c == '\t' ? ' ' : c < 0x20 || c > 0x7e ? '?' : c);
            }
        }
        return line.toString();
    }

    /** The body of the {@code message/delivery-status} part, CRLF line endings. */
    public String render() {
        StringBuilder body = new StringBuilder();
        envelopeId.ifPresent(id -> field(body, "Original-Envelope-Id", id));
        field(body, "Reporting-MTA", "dns; " + reportingMta);
        receivedFromMta.ifPresent(host -> field(body, "Received-From-MTA", "dns; " + host));
        field(body, "Arrival-Date", DATE.format(arrivalDate));
        for (Recipient recipient : recipients) {
            body.append(CRLF);
            recipient.originalRecipient().ifPresent(orcpt -> field(body, "Original-Recipient", "rfc822; " + orcpt));
            field(body, "Final-Recipient", "rfc822; " + recipient.finalRecipient());
            field(body, "Action", recipient.action().field());
            field(body, "Status", recipient.status());
            recipient.remoteMta().ifPresent(host -> field(body, "Remote-MTA", "dns; " + host));
            recipient.diagnosticCode().ifPresent(code -> field(body, "Diagnostic-Code", code));
            recipient.lastAttempt().ifPresent(date -> field(body, "Last-Attempt-Date", DATE.format(date)));
        }
        return body.toString();
    }

    private static void field(StringBuilder body, String name, String value) {
        body.append(name).append(": ").append(oneLine(value)).append(CRLF);
    }
}
