package fr.mssante.operator.extensions.smtp;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;

/**
 * Refuses, at the end of DATA, a message whose lines do not all end with CRLF (RFC 5321 §2.3.8, RFC 5322 §2.3), as
 * Postfix's {@code smtpd_forbid_bare_newline = reject} does: {@code 554 5.6.0}. James 3.8.1 already ends the session
 * on a DATA line ending with a bare LF (its CVE-2023-51747 fix); a bare CR inside a line reached the mailbox as-is.
 * Refused mail is audited ({@code BARE_LINE_ENDING_REFUSED}); the sender's client gets the reply, no DSN is needed.
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.smtp.RefuseBareLineEndings"/>}</pre>
 */
public class RefuseBareLineEndings implements JamesMessageHook, AuditsItsRefusals {
    private static final Logger LOGGER = LoggerFactory.getLogger(RefuseBareLineEndings.class);

    private final MessageEventLog audit;

    @Inject
    public RefuseBareLineEndings(MessageEventLog audit) {
        this.audit = audit;
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        LineEndingScanner scanner = new LineEndingScanner();
        try {
            mail.getMessage().writeTo(scanner);
        } catch (IOException | MessagingException e) {
            LOGGER.warn("Cannot read message {} to check its line endings", mail.getName(), e);
            return HookResult.builder().hookReturnCode(HookReturnCode.denySoft())
                .smtpReturnCode(SMTPRetCode.LOCAL_ERROR).smtpDescription("4.3.0 Cannot read the message; try again later").build();
        }
        LineEndingScanner.Finding finding = scanner.finding();
        if (finding == LineEndingScanner.Finding.NONE) {
            return HookResult.DECLINED;
        }
        String what = finding == LineEndingScanner.Finding.BARE_CR ? "bare CR" : "bare LF";
        auditRefusal(session, mail, what);
        return HookResult.builder().hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(SMTPRetCode.TRANSACTION_FAILED)
            .smtpDescription("5.6.0 Message refused: " + what + " line ending; every line must end with CRLF (RFC 5322 2.3)")
            .build();
    }

    private void auditRefusal(SMTPSession session, Mail mail, String what) {
        try {
            audit.append(new MessageEvent("BARE_LINE_ENDING_REFUSED", mail.getName(), Optional.empty(),
                mail.getMaybeSender().asOptional().map(MailAddress::asString),
                mail.getRecipients().stream().map(MailAddress::asString).toList(),
                Optional.ofNullable(session.getRemoteAddress()).map(address -> address.getAddress().getHostAddress()),
                mail.getMessageSize(), Optional.of(what)));
        } catch (SQLException | MessagingException e) {
            LOGGER.error("Cannot audit a bare line ending refusal of {}", mail.getName(), e);
        }
    }
}
