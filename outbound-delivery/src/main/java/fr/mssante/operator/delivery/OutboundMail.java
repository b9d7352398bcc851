package fr.mssante.operator.delivery;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

/**
 * One mail to deliver to other operators: its envelope, its content and the DSN parameters of its submission
 * (RFC 3461), as plain values.
 *
 * @param reversePath  the MAIL FROM address, empty for the null reverse-path
 * @param recipients   the RCPT TO addresses
 * @param size         the message size announced with SIZE
 * @param message      the content, written as is after DATA
 * @param ret          {@code FULL} or {@code HDRS}, if the sender asked
 * @param envelopeId   the sender's ENVID, if given
 * @param recipientDsn each recipient's NOTIFY and ORCPT, when given
 */
public record OutboundMail(String reversePath, List<String> recipients, long size, MimeMessage message, Optional<String> ret,
                           Optional<String> envelopeId, Map<String, RecipientDsn> recipientDsn) {
    public OutboundMail {
        recipients = List.copyOf(recipients);
        recipientDsn = Map.copyOf(recipientDsn);
    }

    /**
     * A recipient's DSN parameters.
     *
     * @param notifyTypes {@code NEVER}, or some of {@code SUCCESS}, {@code FAILURE}, {@code DELAY}; empty when not given
     * @param orcpt  the original recipient (an RFC 822 address), if given
     */
    public record RecipientDsn(List<String> notifyTypes, Optional<String> orcpt) {
        public RecipientDsn {
            notifyTypes = List.copyOf(notifyTypes);
        }
    }
}
