package fr.mssante.operator.extensions.delivery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.james.core.MailAddress;

/**
 * What one delivery attempt did for each recipient. {@code relayedWithoutDsn} are delivered recipients whose peer
 * did not announce DSN (RFC 3461 §5.2.2): their NOTIFY could not be passed on, so a requested success notice is ours
 * to send ("relayed").
 */
public record DeliveryResult(List<MailAddress> delivered, Map<MailAddress, SmtpReply> transientFailures,
                             Map<MailAddress, SmtpReply> permanentFailures, List<MailAddress> relayedWithoutDsn) {
    public DeliveryResult {
        delivered = List.copyOf(delivered);
        transientFailures = new LinkedHashMap<>(transientFailures);
        permanentFailures = new LinkedHashMap<>(permanentFailures);
        relayedWithoutDsn = List.copyOf(relayedWithoutDsn);
    }

    public DeliveryResult(List<MailAddress> delivered, Map<MailAddress, SmtpReply> transientFailures,
                          Map<MailAddress, SmtpReply> permanentFailures) {
        this(delivered, transientFailures, permanentFailures, List.of());
    }
}
