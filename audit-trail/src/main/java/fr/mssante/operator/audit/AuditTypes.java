package fr.mssante.operator.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The event types of the audit trail and the outcome each one stands for when the writer does not give one. The
 * outcome is what the hourly chart and {@code mss_messages_total{outcome}} count.
 */
public final class AuditTypes {
    public static final String RECEIVED = "RECEIVED";
    public static final String SMTP_REFUSED = "SMTP_REFUSED";
    public static final String DELIVERED = "DELIVERED";
    public static final String RELAYED = "RELAYED";
    public static final String REMOTE_DELIVERED = "REMOTE_DELIVERED";
    public static final String BOUNCED = "BOUNCED";
    public static final String DSN_SENT = "DSN_SENT";
    public static final String QUARANTINED = "QUARANTINED";
    public static final String DMP_QUEUED = "DMP_QUEUED";
    public static final String DMP_NOT_FILED = "DMP_NOT_FILED";
    public static final String AUTH_SUCCESS = "AUTH_SUCCESS";
    public static final String AUTH_FAILURE = "AUTH_FAILURE";
    public static final String ADMIN_CHANGE = "ADMIN_CHANGE";
    public static final String AUDIT_RETENTION = "AUDIT_RETENTION";

    /** Outcomes of messages (the hourly chart's series). */
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REFUSED = "REFUSED";
    public static final String DELIVERED_OUTCOME = "DELIVERED";
    public static final String BOUNCED_OUTCOME = "BOUNCED";
    public static final String SUCCESS = "SUCCESS";
    public static final String FAILURE = "FAILURE";

    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{1,39}");

    private static final Map<String, String> DEFAULT_OUTCOME = new LinkedHashMap<>();

    static {
        // SMTP session and pipeline
        DEFAULT_OUTCOME.put(RECEIVED, ACCEPTED);
        DEFAULT_OUTCOME.put(SMTP_REFUSED, REFUSED);
        DEFAULT_OUTCOME.put("TRUST_SPACE_REFUSED", REFUSED);
        DEFAULT_OUTCOME.put("BARE_LINE_ENDING_REFUSED", REFUSED);
        DEFAULT_OUTCOME.put("MIME_NESTING_REFUSED", REFUSED);
        DEFAULT_OUTCOME.put("RELAY_DENIED", REFUSED);
        DEFAULT_OUTCOME.put(DELIVERED, DELIVERED_OUTCOME);
        DEFAULT_OUTCOME.put(REMOTE_DELIVERED, DELIVERED_OUTCOME);
        DEFAULT_OUTCOME.put(RELAYED, "RELAYED");
        DEFAULT_OUTCOME.put("REMOTE_DEFERRED", "DEFERRED");
        DEFAULT_OUTCOME.put(BOUNCED, BOUNCED_OUTCOME);
        DEFAULT_OUTCOME.put("REMOTE_FAILED", BOUNCED_OUTCOME);
        DEFAULT_OUTCOME.put("ADDRESS_ERROR", BOUNCED_OUTCOME);
        DEFAULT_OUTCOME.put("ERROR", "ERROR");
        DEFAULT_OUTCOME.put(DSN_SENT, "SENT");
        DEFAULT_OUTCOME.put("MDN_SENT", "SENT");
        DEFAULT_OUTCOME.put("DECRYPTED", SUCCESS);
        DEFAULT_OUTCOME.put(QUARANTINED, "QUARANTINED");
        DEFAULT_OUTCOME.put("INFECTED", "QUARANTINED");
        DEFAULT_OUTCOME.put("NOT_SCANNED", "NOT_SCANNED");
        DEFAULT_OUTCOME.put("IMAP_APPEND_REFUSED", "REJECTED");
        DEFAULT_OUTCOME.put("IMAP_APPEND_HEADERS_REMOVED", SUCCESS);
        DEFAULT_OUTCOME.put("IMAP_OTHER_USER_MAILBOX_REFUSED", REFUSED);
        // DMP filing
        DEFAULT_OUTCOME.put(DMP_QUEUED, "QUEUED");
        DEFAULT_OUTCOME.put(DMP_NOT_FILED, FAILURE);
        DEFAULT_OUTCOME.put("DMP_REJECTED", FAILURE);
        DEFAULT_OUTCOME.put("DMP_FAILED", FAILURE);
        // access and administration
        DEFAULT_OUTCOME.put(AUTH_SUCCESS, SUCCESS);
        DEFAULT_OUTCOME.put(AUTH_FAILURE, FAILURE);
        DEFAULT_OUTCOME.put(ADMIN_CHANGE, null);
        DEFAULT_OUTCOME.put("TRUST_LIST_SMALLER_ACCEPTED", SUCCESS);
        DEFAULT_OUTCOME.put(AUDIT_RETENTION, SUCCESS);
    }

    private AuditTypes() {
    }

    /** The types this server writes (others, such as those of later modules, are accepted too). */
    public static List<String> known() {
        return List.copyOf(DEFAULT_OUTCOME.keySet());
    }

    /** The outcome a type stands for when the writer did not say. */
    public static Optional<String> defaultOutcome(String type) {
        return Optional.ofNullable(DEFAULT_OUTCOME.get(type));
    }

    /** Types are upper-case words: the trail's vocabulary, never text from a message. */
    public static String requireValid(String type) {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("an audit type is an upper-case word (A-Z, 0-9, _), got " + type);
        }
        return type;
    }
}
