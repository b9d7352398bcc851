package fr.mssante.operator.extensions.authentication;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.mailbox.Authorizator;

import fr.mssante.operator.authentication.AuthenticatedPrincipal;
import fr.mssante.operator.authentication.Authentication;
import fr.mssante.operator.authentication.Purpose;

/**
 * "Log in as another mailbox" (IMAP AUTHENTICATE PLAIN with an authorisation identity). James asks this only after a
 * password check, so the session's principal is the password of {@code userId}'s mailbox: it opens that mailbox and
 * nothing else, whatever the register says of its holder. Co-holders and delegates use an access token (XOAUTH2,
 * OAUTHBEARER with an authorisation identity), which names the person.
 */
public class RegisterAuthorizator implements Authorizator {
    private final Authentication authentication;

    @Inject
    public RegisterAuthorizator(Authentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public AuthorizationState canLoginAsOtherUser(Username userId, Username otherUserId) {
        Authentication.Outcome outcome = authentication.loginAs("IMAP", "PLAIN-AUTHZID",
            new AuthenticatedPrincipal.MailboxCredential(userId.asString(), AuthenticatedPrincipal.Proof.PASSWORD),
            otherUserId.asString(), Purpose.READ, ImapClientAddress.current());
        return outcome.success() ? AuthorizationState.ALLOWED : AuthorizationState.FORBIDDEN;
    }
}
