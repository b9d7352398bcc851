package fr.mssante.operator.authentication;

import java.util.Optional;

/**
 * Settings of professionals' access.
 *
 * @param oidc          access-token checking; empty = XOAUTH2/OAUTHBEARER not offered
 * @param passwordLogin the password policy of mailboxes whose register row says nothing (and of non-register users)
 * @param throttle      brute-force lock
 * @param masterKey     base64 AES key sealing TOTP secrets (the operator master key); empty = TOTP unavailable
 */
public record AuthenticationSettings(Optional<OidcSettings> oidc, PasswordPolicy passwordLogin, LoginThrottle.Settings throttle,
                                     Optional<String> masterKey) {
}
