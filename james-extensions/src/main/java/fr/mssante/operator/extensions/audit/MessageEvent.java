package fr.mssante.operator.extensions.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One audited event in the life of a message. Identifiers and envelope only: never content.
 */
public record MessageEvent(String event, String mailName, Optional<String> messageId, Optional<String> sender,
                           List<String> recipients, Optional<String> remoteAddress, long sizeBytes,
                           Optional<String> detail) {
    public MessageEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(mailName, "mailName");
        recipients = List.copyOf(recipients);
    }
}
