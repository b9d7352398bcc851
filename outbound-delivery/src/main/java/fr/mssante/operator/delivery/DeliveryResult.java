package fr.mssante.operator.delivery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one delivery attempt did for each recipient (addresses as given in {@link OutboundMail#recipients()}).
 * {@code relayedWithoutDsn} are delivered recipients whose peer did not announce DSN (RFC 3461 §5.2.2): their NOTIFY
 * could not be passed on, so a requested success notice is ours to send ("relayed").
 */
public record DeliveryResult(List<String> delivered, Map<String, SmtpReply> transientFailures,
                             Map<String, SmtpReply> permanentFailures, List<String> relayedWithoutDsn) {
    public DeliveryResult {
        delivered = List.copyOf(delivered);
        transientFailures = new LinkedHashMap<>(transientFailures);
        permanentFailures = new LinkedHashMap<>(permanentFailures);
        relayedWithoutDsn = List.copyOf(relayedWithoutDsn);
    }
}
