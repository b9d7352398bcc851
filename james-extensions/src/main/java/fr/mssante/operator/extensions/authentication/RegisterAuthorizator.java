package fr.mssante.operator.extensions.authentication;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.mailbox.Authorizator;

/**
 * "Log in as another mailbox" (IMAP AUTHENTICATE PLAIN with an authorisation identity) is allowed when the register
 * says the holder of the authenticated mailbox holds, co-holds or is delegated to the other one.
 */
public class RegisterAuthorizator implements Authorizator {
    private final Authentication authentication;

    @Inject
    public RegisterAuthorizator(Authentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public AuthorizationState canLoginAsOtherUser(Username userId, Username otherUserId) {
        Authentication.Outcome outcome = authentication.loginAs("IMAP", "PLAIN-AUTHZID", userId.asString(), otherUserId.asString(),
            Purpose.READ, null);
        // a read-only delegate must use a token (the IMAP session is then marked read-only); this path cannot mark it
        return outcome.success() && !outcome.reason().equals("delegate_read") ? AuthorizationState.ALLOWED : AuthorizationState.FORBIDDEN;
    }
}
