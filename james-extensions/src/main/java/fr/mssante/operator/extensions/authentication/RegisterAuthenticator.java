package fr.mssante.operator.extensions.authentication;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.mailbox.Authenticator;

import fr.mssante.operator.authentication.Authentication;

/**
 * IMAP LOGIN and AUTHENTICATE PLAIN: the same password policy, TOTP, throttle and audit as SMTP submission. The client
 * address comes from the IMAP login processors ({@link ImapClientAddress}).
 */
public class RegisterAuthenticator implements Authenticator {
    private final Authentication authentication;

    @Inject
    public RegisterAuthenticator(Authentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public boolean isAuthentic(Username userid, CharSequence passwd) {
        return authentication.password("IMAP", "PASSWORD", userid.asString(), passwd == null ? null : passwd.toString(),
            ImapClientAddress.current()).success();
    }
}
