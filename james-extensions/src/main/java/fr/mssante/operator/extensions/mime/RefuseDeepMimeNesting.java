package fr.mssante.operator.extensions.mime;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.smtp.AuditsItsRefusals;

/**
 * Refuses at the end of DATA ({@code 554 5.6.0}) a message whose multiparts and embedded messages nest deeper than
 * {@code <maxDepth>} (MSS_MIME_MAX_DEPTH): it would be delivered, and then no IMAP client of its recipient could fetch
 * the mailbox's structure (James builds BODYSTRUCTURE recursively: a StackOverflowError, no answer). Audited as
 * {@code MIME_NESTING_REFUSED}.
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.mime.RefuseDeepMimeNesting"><maxDepth>32</maxDepth></handler>}</pre>
 */
public class RefuseDeepMimeNesting implements JamesMessageHook, AuditsItsRefusals {
    public static final int DEFAULT_MAX_DEPTH = 32;
    private static final Logger LOGGER = LoggerFactory.getLogger(RefuseDeepMimeNesting.class);

    private final MessageEventLog audit;
    private int maxDepth = DEFAULT_MAX_DEPTH;

    @Inject
    public RefuseDeepMimeNesting(MessageEventLog audit) {
        this.audit = audit;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        for (Iterator<String> keys = config.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("maxDepth") && !key.startsWith("[@")) {
                throw new ConfigurationException("RefuseDeepMimeNesting: unknown parameter " + key);
            }
        }
        maxDepth = config.getInt("maxDepth", DEFAULT_MAX_DEPTH);
        if (maxDepth < 2) {
            throw new ConfigurationException("RefuseDeepMimeNesting: maxDepth must be at least 2");
        }
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        int depth;
        try {
            MimeMessage message = mail.getMessage();
            try (InputStream body = message.getRawInputStream()) {
                depth = MimeNesting.depth(body, message.getContentType(), maxDepth);
            }
        } catch (MessagingException | IOException e) {
            LOGGER.debug("MIME structure of {} unreadable; left to the pipeline", mail.getName(), e);
            return HookResult.DECLINED;
        }
        if (depth <= maxDepth) {
            return HookResult.DECLINED;
        }
        try {
            audit.append(new MessageEvent("MIME_NESTING_REFUSED", mail.getName(), Optional.empty(),
                mail.getMaybeSender().asOptional().map(Object::toString),
                mail.getRecipients().stream().map(Object::toString).toList(),
                Optional.ofNullable(session.getRemoteAddress()).map(address -> address.getAddress().getHostAddress()),
                0, Optional.of("MIME nesting deeper than " + maxDepth)));
        } catch (SQLException e) {
            LOGGER.error("Cannot audit the refusal of {} (MIME nesting)", mail.getName(), e);
        }
        return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode("554")
            .smtpDescription("5.6.0 Message structure nested too deeply (more than " + maxDepth + " levels of parts)")
            .build();
    }

    int maxDepth() {
        return maxDepth;
    }

}
