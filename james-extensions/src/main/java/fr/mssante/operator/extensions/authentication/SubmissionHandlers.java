package fr.mssante.operator.extensions.authentication;

import java.util.List;

import org.apache.james.protocols.api.handler.CommandDispatcher;
import org.apache.james.protocols.api.handler.CommandHandlerResultLogger;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.smtp.core.ExpnCmdHandler;
import org.apache.james.protocols.smtp.core.HeloCmdHandler;
import org.apache.james.protocols.smtp.core.HelpCmdHandler;
import org.apache.james.protocols.smtp.core.NoopCmdHandler;
import org.apache.james.protocols.smtp.core.PostmasterAbuseRcptHook;
import org.apache.james.protocols.smtp.core.QuitCmdHandler;
import org.apache.james.protocols.smtp.core.RsetCmdHandler;
import org.apache.james.protocols.smtp.core.UnknownCmdHandler;
import org.apache.james.protocols.smtp.core.VrfyCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.EhloCmdHandler;
import org.apache.james.protocols.smtp.core.esmtp.MailSizeEsmtpExtension;
import org.apache.james.protocols.smtp.core.esmtp.StartTlsCmdHandler;
import org.apache.james.protocols.smtp.core.log.HookResultLogger;
import org.apache.james.smtpserver.AddDefaultAttributesMessageHook;
import org.apache.james.smtpserver.AuthRequiredToRelayRcptHook;
import org.apache.james.smtpserver.DataLineJamesMessageHookHandler;
import org.apache.james.smtpserver.JamesDataCmdHandler;
import org.apache.james.smtpserver.JamesMailCmdHandler;
import org.apache.james.smtpserver.JamesRcptCmdHandler;
import org.apache.james.smtpserver.JamesWelcomeMessageHandler;
import org.apache.james.smtpserver.SendMailHandler;

import fr.mssante.operator.extensions.smtp.WriteReceivedHeader;

/**
 * The core SMTP handlers of the submission listeners ({@code <handlerchain coreHandlersPackage=...>}): James's
 * {@code CoreCmdHandlerLoader} with our AUTH ({@link AuthenticateSubmission}: XOAUTH2, OAUTHBEARER, EXTERNAL; PLAIN and
 * LOGIN through {@link CheckSubmissionPassword}) instead of James's, and without {@code SenderAuthIdentifyVerificationHook}:
 * who may send as whom is {@link CheckSenderAuthorisation}'s decision (delegation, co-holders, the From header); the
 * {@code Received:} header written by {@link fr.mssante.operator.extensions.smtp.WriteReceivedHeader} (RFC 3848).
 */
public class SubmissionHandlers implements HandlersPackage {
    private static final List<String> HANDLERS = List.of(
        JamesWelcomeMessageHandler.class.getName(),
        CommandDispatcher.class.getName(),
        AuthenticateSubmission.class.getName(),
        JamesDataCmdHandler.class.getName(),
        EhloCmdHandler.class.getName(),
        ExpnCmdHandler.class.getName(),
        HeloCmdHandler.class.getName(),
        HelpCmdHandler.class.getName(),
        JamesMailCmdHandler.class.getName(),
        NoopCmdHandler.class.getName(),
        QuitCmdHandler.class.getName(),
        JamesRcptCmdHandler.class.getName(),
        RsetCmdHandler.class.getName(),
        VrfyCmdHandler.class.getName(),
        MailSizeEsmtpExtension.class.getName(),
        CheckSubmissionPassword.class.getName(),
        AuthRequiredToRelayRcptHook.class.getName(),
        PostmasterAbuseRcptHook.class.getName(),
        WriteReceivedHeader.class.getName(),
        DataLineJamesMessageHookHandler.class.getName(),
        StartTlsCmdHandler.class.getName(),
        AddDefaultAttributesMessageHook.class.getName(),
        SendMailHandler.class.getName(),
        UnknownCmdHandler.class.getName(),
        CommandHandlerResultLogger.class.getName(),
        HookResultLogger.class.getName());

    @Override
    public List<String> getHandlers() {
        return HANDLERS;
    }
}
