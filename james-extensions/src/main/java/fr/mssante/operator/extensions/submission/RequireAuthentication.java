package fr.mssante.operator.extensions.submission;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * Submission listeners never take anonymous mail: any RCPT before a successful AUTH is refused with
 * {@code 530 5.7.0 Authentication required} (RFC 4954). Without it James would accept unauthenticated mail for
 * local recipients on the submission port like an MX does.
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.submission.RequireAuthentication"/>}</pre>
 */
public class RequireAuthentication implements RcptHook {
    static final HookResult AUTHENTICATION_REQUIRED = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode(SMTPRetCode.AUTH_REQUIRED)
        .smtpDescription("5.7.0 Authentication required")
        .build();

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (session.getUsername() == null) {
            return AUTHENTICATION_REQUIRED;
        }
        return HookResult.DECLINED;
    }
}
