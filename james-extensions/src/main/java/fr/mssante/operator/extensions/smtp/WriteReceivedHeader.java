package fr.mssante.operator.extensions.smtp;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.ReceivedDataLineFilter;

/**
 * Writes the {@code Received:} trace header with the RFC 3848 transmission type: {@code ESMTP}, {@code ESMTPS} over TLS
 * (STARTTLS or implicit TLS), {@code ESMTPA} authenticated, {@code ESMTPSA} both; {@code SMTP} after HELO. James 3.8.1's
 * {@link ReceivedDataLineFilter} ignores TLS (it writes {@code ESMTPA} for an authenticated submission over TLS): this
 * replaces it in every listener's core handlers ({@link MxHandlers}, {@code SubmissionHandlers}).
 */
public class WriteReceivedHeader extends ReceivedDataLineFilter {
    @Override
    protected String getServiceType(SMTPSession session, String heloMode) {
        return transmissionType("EHLO".equals(heloMode), session.isTLSStarted(), session.getUsername() != null);
    }

    /** The RFC 3848 {@code with} keyword. */
    static String transmissionType(boolean extended, boolean tls, boolean authenticated) {
        if (!extended) {
            return "SMTP";
        }
        return "ESMTP" + (tls ? "S" : "") + (authenticated ? "A" : "");
    }
}
