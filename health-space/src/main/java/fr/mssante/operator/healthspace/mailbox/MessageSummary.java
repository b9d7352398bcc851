package fr.mssante.operator.healthspace.mailbox;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/** One message as a conversation list needs it (envelope and threading headers, no content). */
public record MessageSummary(Box box, long uid, String messageId, String inReplyTo, List<String> references,
                             String fromAddress, String fromName, String subject, Instant date, boolean seen,
                             boolean hasAttachments) {
    private static final ZoneId FRANCE = ZoneId.of("Europe/Paris");

    /** The date in France's time zone, for display. */
    public ZonedDateTime when() {
        return date.atZone(FRANCE);
    }
}
