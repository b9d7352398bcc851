package fr.mssante.operator.trust.policy;

import java.util.List;
import java.util.Objects;

/**
 * What a message received from another operator says about its origin, as read at the end of DATA.
 *
 * @param envelopeDomain domain of the reverse-path, empty for the null reverse-path ({@code MAIL FROM:<>})
 * @param fromFields how many {@code From:} header fields the message has
 * @param fromDomains the domain of each mailbox of the {@code From:} field; an empty string for an address that could
 *     not be read
 * @param senderDomains the same for the {@code Sender:} field (empty list when there is none)
 * @param contentType the top-level {@code Content-Type} header value, empty when absent
 */
public record MessageOrigin(String envelopeDomain, int fromFields, List<String> fromDomains, List<String> senderDomains,
                            String contentType) {
    public MessageOrigin {
        envelopeDomain = envelopeDomain == null ? "" : envelopeDomain;
        fromDomains = List.copyOf(Objects.requireNonNull(fromDomains, "fromDomains"));
        senderDomains = List.copyOf(Objects.requireNonNull(senderDomains, "senderDomains"));
        contentType = contentType == null ? "" : contentType;
    }

    public boolean nullSender() {
        return envelopeDomain.isBlank();
    }
}
