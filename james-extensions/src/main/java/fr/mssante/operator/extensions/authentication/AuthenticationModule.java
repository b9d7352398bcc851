package fr.mssante.operator.extensions.authentication;

import java.time.Clock;

import javax.inject.Singleton;
import javax.sql.DataSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.authentication.AccessTokenVerifier;
import fr.mssante.operator.authentication.Authentication;
import fr.mssante.operator.authentication.AuthenticationLog;
import fr.mssante.operator.authentication.AuthenticationSettings;
import fr.mssante.operator.authentication.CitizenMailboxes;
import fr.mssante.operator.authentication.LoginThrottle;
import fr.mssante.operator.authentication.MailboxAccess;
import fr.mssante.operator.authentication.PostgresThrottleStore;
import fr.mssante.operator.authentication.TotpStore;
import fr.mssante.operator.smime.keystore.MasterKey;
import fr.mssante.operator.trust.space.TrustSpace;

/**
 * Wires {@link Authentication} for the SMTP and IMAP adapters, over the register, the user store (an
 * {@link Authentication.PasswordChecker} bound by the server's data module) and the trust space.
 */
public class AuthenticationModule extends AbstractModule {
    private final AuthenticationSettings settings;

    public AuthenticationModule(AuthenticationSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(AuthenticationSettings.class).toInstance(settings);
    }

    @Provides
    @Singleton
    AuthenticationLog authenticationLog(DataSource dataSource, AuditJournal journal) {
        return new AuthenticationLog(dataSource, journal);
    }

    @Provides
    @Singleton
    LoginThrottle loginThrottle(DataSource dataSource, Clock clock) {
        return new LoginThrottle(new PostgresThrottleStore(dataSource), settings.throttle(), clock);
    }

    @Provides
    @Singleton
    Authentication authentication(DataSource dataSource, AuthenticationLog log, LoginThrottle throttle,
                                  Authentication.PasswordChecker passwords, TrustSpace trustSpace, CitizenMailboxes citizens,
                                  Clock clock) {
        return new Authentication(new MailboxAccess(dataSource, clock), log, throttle,
            settings.oidc().map(oidc -> new AccessTokenVerifier(oidc, clock)),
            settings.masterKey().map(key -> new TotpStore(dataSource, MasterKey.fromBase64(key))),
            passwords,
            trustSpace::clientCertificateRefusal, settings.passwordLogin(), clock, citizens);
    }
}
