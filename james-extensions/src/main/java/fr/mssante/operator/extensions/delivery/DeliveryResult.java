package fr.mssante.operator.extensions.delivery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.james.core.MailAddress;

/** What one delivery attempt did for each recipient. */
public record DeliveryResult(List<MailAddress> delivered, Map<MailAddress, SmtpReply> transientFailures,
                             Map<MailAddress, SmtpReply> permanentFailures) {
    public DeliveryResult {
        delivered = List.copyOf(delivered);
        transientFailures = new LinkedHashMap<>(transientFailures);
        permanentFailures = new LinkedHashMap<>(permanentFailures);
    }
}
