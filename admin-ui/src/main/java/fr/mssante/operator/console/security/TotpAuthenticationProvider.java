package fr.mssante.operator.console.security;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import fr.mssante.operator.console.ConsoleProperties;
import fr.mssante.operator.console.account.Account;
import fr.mssante.operator.console.account.AccountStore;
import fr.mssante.operator.console.account.Totp;
import fr.mssante.operator.console.metrics.ConsoleMetrics;

/**
 * Password and TOTP code, both required, for every account. Every attempt is audited ({@code console.login_event});
 * after {@code MSS_CONSOLE_LOCKOUT_FAILURES} consecutive failures the account is locked for
 * {@code MSS_CONSOLE_LOCKOUT_DURATION}, during which even the right password and code are refused. The user is told
 * one generic reason, whatever failed. Every outcome is also counted ({@code mss_console_logins_total}; an unknown
 * login counts as a failure).
 */
@Component
public class TotpAuthenticationProvider implements AuthenticationProvider {

    private final AccountStore accounts;
    private final PasswordEncoder encoder;
    private final ConsoleProperties properties;
    private final Clock clock;
    private final ConsoleMetrics metrics;
    private final String dummyHash;

    public TotpAuthenticationProvider(AccountStore accounts, PasswordEncoder encoder, ConsoleProperties properties, Clock clock,
                                      ConsoleMetrics metrics) {
        this.accounts = accounts;
        this.metrics = metrics;
        this.encoder = encoder;
        this.properties = properties;
        this.clock = clock;
        this.dummyHash = encoder.encode("not an account");
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String login = String.valueOf(authentication.getName()).trim();
        String password = String.valueOf(authentication.getCredentials());
        LoginDetails details = authentication.getDetails() instanceof LoginDetails given ? given : new LoginDetails(null, null);
        Instant now = clock.instant();
        Optional<Account> found = accounts.find(login);
        if (found.isEmpty()) {
            encoder.matches(password, dummyHash); // same work whether the login exists or not
            metrics.login("FAILURE");
            throw new BadCredentialsException("bad credentials");
        }
        Account account = found.get();
        if (account.lockedAt(now)) {
            record(login, "REFUSED_LOCKED", "account locked", details.remoteAddress());
            throw new BadCredentialsException("bad credentials");
        }
        boolean passwordOk = encoder.matches(password, account.passwordHash());
        OptionalLong step = passwordOk ? Totp.verify(account.totpSecret(), details.code(), now, account.lastTotpStep())
            : OptionalLong.empty();
        if (!passwordOk || step.isEmpty()) {
            String reason = passwordOk ? "wrong or reused TOTP code" : "wrong password";
            record(login, "FAILURE", reason, details.remoteAddress());
            if (accounts.recordFailure(login, properties.lockoutFailures(), properties.lockoutDuration(), now)) {
                record(login, "LOCKED_OUT", properties.lockoutFailures() + " consecutive failures", details.remoteAddress());
            }
            throw new BadCredentialsException("bad credentials");
        }
        accounts.recordSuccess(login, step.getAsLong());
        record(login, "SUCCESS", null, details.remoteAddress());
        return UsernamePasswordAuthenticationToken.authenticated(login, null,
            List.of(new SimpleGrantedAuthority("ROLE_" + account.role().name())));
    }

    private void record(String login, String outcome, String reason, String remoteAddress) {
        accounts.audit(login, outcome, reason, remoteAddress);
        metrics.login(outcome);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
