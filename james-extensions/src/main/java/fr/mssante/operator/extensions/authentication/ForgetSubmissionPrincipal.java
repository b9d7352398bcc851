package fr.mssante.operator.extensions.authentication;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the MX: mail from another operator never carries a submission principal ({@link SubmissionPrincipal}), whatever
 * produced it; only our submission listeners set one. Never refuses.
 *
 * <pre>{@code <handler class="fr.mssante.operator.extensions.authentication.ForgetSubmissionPrincipal"/>}</pre>
 */
public class ForgetSubmissionPrincipal implements JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(ForgetSubmissionPrincipal.class);

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (SubmissionPrincipal.remove(mail)) {
            LOGGER.warn("{}: a submission principal on mail received over the MX was removed", mail.getName());
        }
        return HookResult.DECLINED;
    }
}
