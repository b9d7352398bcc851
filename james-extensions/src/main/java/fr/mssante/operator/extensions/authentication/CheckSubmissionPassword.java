package fr.mssante.operator.extensions.authentication;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.AuthHook;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

import fr.mssante.operator.authentication.Authentication;

/** AUTH PLAIN / LOGIN on submission: the password policy of the mailbox, TOTP, throttling and the audit trail. */
public class CheckSubmissionPassword implements AuthHook {
    private final Authentication authentication;

    @Inject
    public CheckSubmissionPassword(Authentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public HookResult doAuth(SMTPSession session, Username username, String password) {
        if (session.getSSLSession().isEmpty()) {
            return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode("538")
                .smtpDescription("5.7.11 Encryption required for requested authentication mechanism").build();
        }
        Authentication.Outcome outcome = authentication.password("SMTP", "PLAIN", username.asString(), password,
            AuthenticateSubmission.remote(session));
        if (!outcome.success()) {
            return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode("535")
                .smtpDescription("5.7.8 Authentication credentials invalid").build();
        }
        session.setUsername(Username.of(outcome.mailbox().orElseThrow()));
        session.setRelayingAllowed(true);
        SessionActor.set(session, outcome.principal().orElseThrow());
        return HookResult.builder().hookReturnCode(HookReturnCode.ok()).smtpDescription("2.7.0 Authentication successful").build();
    }

    /**
     * James 3.8.1's "AUTH PLAIN authzid" after a login (switch to another mailbox): never. A password proves its own
     * mailbox only; a person acting for another mailbox logs in with a token and names it.
     */
    @Override
    public HookResult doDelegation(SMTPSession session, Username username) {
        return HookResult.builder().hookReturnCode(HookReturnCode.deny()).smtpReturnCode("535")
            .smtpDescription("5.7.8 Authentication credentials invalid").build();
    }

    @Override
    public HookResult doSasl(SMTPSession session, OidcSASLConfiguration configuration, String initialResponse) {
        return HookResult.DECLINED;
    }
}
