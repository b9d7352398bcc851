package fr.mssante.operator.extensions.authentication;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every way a professional or an application logs in, independent of the protocol: access tokens (XOAUTH2,
 * OAUTHBEARER), client certificates (EXTERNAL) and passwords (PLAIN, LOGIN; with TOTP where required). Each attempt
 * is decided against the register, throttled where a secret can be guessed, and written to the audit trail.
 */
public class Authentication {
    private static final Logger LOGGER = LoggerFactory.getLogger(Authentication.class);

    /** Checks a login name and password against the user store. */
    @FunctionalInterface
    public interface PasswordChecker {
        boolean matches(String login, String password) throws Exception;
    }

    /** Validates a client certificate chain (roots, validity, revocation); empty when it is acceptable. */
    @FunctionalInterface
    public interface CertificateChecker {
        Optional<String> refusal(X509Certificate[] chain);
    }

    /**
     * The result of one attempt.
     *
     * @param mailbox the mailbox the session uses (its James user)
     * @param actor   who really logged in: a national id, a certificate subject or the login name
     */
    public record Outcome(boolean success, Optional<String> mailbox, Optional<String> actor, String reason) {
        static Outcome refused(Optional<String> actor, String reason) {
            return new Outcome(false, Optional.empty(), actor, reason);
        }
    }

    private final MailboxAccess access;
    private final AuthenticationLog log;
    private final LoginThrottle throttle;
    private final Optional<AccessTokenVerifier> tokens;
    private final Optional<TotpStore> totp;
    private final PasswordChecker passwords;
    private final CertificateChecker certificates;
    private final PasswordPolicy defaultPolicy;
    private final Clock clock;

    public Authentication(MailboxAccess access, AuthenticationLog log, LoginThrottle throttle, Optional<AccessTokenVerifier> tokens,
                          Optional<TotpStore> totp, PasswordChecker passwords, CertificateChecker certificates,
                          PasswordPolicy defaultPolicy, Clock clock) {
        this.access = access;
        this.log = log;
        this.throttle = throttle;
        this.tokens = tokens;
        this.totp = totp;
        this.passwords = passwords;
        this.certificates = certificates;
        this.defaultPolicy = defaultPolicy;
        this.clock = clock;
    }

    public boolean tokensEnabled() {
        return tokens.isPresent();
    }

    public MailboxAccess access() {
        return access;
    }

    /** XOAUTH2 / OAUTHBEARER. */
    public Outcome token(String protocol, String mechanism, Optional<SaslInitialResponse> response, Purpose purpose, String remote) {
        if (tokens.isEmpty()) {
            return audit(protocol, mechanism, Outcome.refused(Optional.empty(), "token authentication is not configured"), remote);
        }
        if (response.isEmpty()) {
            return audit(protocol, mechanism, Outcome.refused(Optional.empty(), "malformed " + mechanism + " message"), remote);
        }
        TokenVerdict verdict = tokens.get().verify(response.get().token());
        if (verdict instanceof TokenVerdict.Refused refused) {
            return audit(protocol, mechanism, Outcome.refused(Optional.empty(), "token refused: " + refused.reason()), remote);
        }
        String identity = ((TokenVerdict.Valid) verdict).identity();
        return audit(protocol, mechanism, decide(identity, response.get().authorizationId(), purpose), remote);
    }

    /** EXTERNAL: the TLS client certificate names an applicative mailbox registered for it. */
    public Outcome certificate(String protocol, Optional<SSLSession> tls, Optional<String> authorizationId, String remote) {
        Optional<X509Certificate[]> chain = tls.flatMap(Authentication::peerChain);
        if (chain.isEmpty()) {
            return audit(protocol, "EXTERNAL", Outcome.refused(Optional.empty(), "no client certificate presented"), remote);
        }
        X509Certificate leaf = chain.get()[0];
        String subject = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
        Optional<String> actor = Optional.of(subject);
        Optional<String> refusal = certificates.refusal(chain.get());
        if (refusal.isPresent()) {
            return audit(protocol, "EXTERNAL", Outcome.refused(actor, "certificate refused: " + refusal.get()), remote);
        }
        try {
            List<String> registered = access.mailboxesForCertificate(subject, sha256(leaf));
            Optional<String> chosen = authorizationId.map(id -> id.trim().toLowerCase(Locale.ROOT))
                .filter(registered::contains)
                .or(() -> authorizationId.isEmpty() && registered.size() == 1 ? Optional.of(registered.get(0)) : Optional.empty());
            if (chosen.isEmpty()) {
                String reason = registered.isEmpty() ? "no mailbox registered for this certificate"
                    : authorizationId.isPresent() ? "certificate not registered for " + authorizationId.get()
                    : "certificate registered for several mailboxes: name one";
                return audit(protocol, "EXTERNAL", Outcome.refused(actor, reason), remote);
            }
            MailboxAccess.Entry mailbox = access.find(chosen.get()).orElseThrow();
            if (!mailbox.kind().equals("APP")) {
                return audit(protocol, "EXTERNAL", Outcome.refused(actor, "certificate login is for applicative (APP) mailboxes"), remote);
            }
            if (!mailbox.state().equals("ACTIVE")) {
                return audit(protocol, "EXTERNAL", Outcome.refused(actor, "mailbox " + mailbox.address() + " is "
                    + mailbox.state().toLowerCase(Locale.ROOT)), remote);
            }
            access.touch(mailbox.address());
            return audit(protocol, "EXTERNAL", new Outcome(true, Optional.of(mailbox.address()), actor, "certificate"), remote);
        } catch (SQLException | GeneralSecurityException e) {
            LOGGER.error("EXTERNAL authentication failed on an internal error", e);
            return audit(protocol, "EXTERNAL", Outcome.refused(actor, "internal error"), remote);
        }
    }

    /** PLAIN / LOGIN / IMAP LOGIN: password, followed by a TOTP code where the mailbox requires one. */
    public Outcome password(String protocol, String mechanism, String login, String secret, String remote) {
        String name = login == null ? "" : login.trim().toLowerCase(Locale.ROOT);
        Optional<String> actor = Optional.of(name);
        try {
            Optional<java.time.Instant> locked = throttle.lockedUntil(name);
            if (locked.isPresent()) {
                return audit(protocol, mechanism, Outcome.refused(actor, "locked until " + locked.get()), remote, "LOCKED_OUT");
            }
            Optional<MailboxAccess.Entry> mailbox = access.find(name);
            PasswordPolicy policy = mailbox.flatMap(MailboxAccess.Entry::passwordLogin).orElse(defaultPolicy);
            if (mailbox.isPresent() && !mailbox.get().state().equals("ACTIVE")) {
                return audit(protocol, mechanism, Outcome.refused(actor, "mailbox is " + mailbox.get().state().toLowerCase(Locale.ROOT)), remote);
            }
            if (policy == PasswordPolicy.DISABLED) {
                return audit(protocol, mechanism, Outcome.refused(actor, "password login is not allowed for this mailbox"), remote);
            }
            boolean good;
            if (policy == PasswordPolicy.PASSWORD_TOTP) {
                good = secret != null && secret.length() > Totp.DIGITS && totp.isPresent()
                    && passwords.matches(name, secret.substring(0, secret.length() - Totp.DIGITS))
                    && totp.get().verify(name, secret.substring(secret.length() - Totp.DIGITS), clock.instant());
            } else {
                good = secret != null && passwords.matches(name, secret);
            }
            if (!good) {
                boolean nowLocked = throttle.failed(name);
                Outcome outcome = audit(protocol, mechanism, Outcome.refused(actor, policy == PasswordPolicy.PASSWORD_TOTP
                    ? "bad password or code" : "bad password"), remote);
                if (nowLocked) {
                    log.record(new AuthenticationLog.Event(protocol, mechanism, actor, actor, "LOCKED",
                        Optional.of("too many failures"), Optional.ofNullable(remote)));
                }
                return outcome;
            }
            throttle.succeeded(name);
            access.touch(name);
            return audit(protocol, mechanism, new Outcome(true, Optional.of(name), actor, policy.name().toLowerCase(Locale.ROOT)), remote);
        } catch (Exception e) {
            LOGGER.error("Password authentication failed on an internal error", e);
            return audit(protocol, mechanism, Outcome.refused(actor, "internal error"), remote);
        }
    }

    /** A session authenticated as one mailbox asks to act as another (SASL authorisation identity). */
    public Outcome loginAs(String protocol, String mechanism, String authenticatedMailbox, String target, Purpose purpose,
                           String remote) {
        try {
            Optional<String> identity = access.identityOf(authenticatedMailbox);
            if (identity.isEmpty()) {
                return audit(protocol, mechanism, Outcome.refused(Optional.of(authenticatedMailbox),
                    authenticatedMailbox + " is not in the register"), remote);
            }
            return audit(protocol, mechanism, decide(identity.get(), Optional.of(target), purpose), remote);
        } catch (SQLException e) {
            LOGGER.error("Delegated login failed on an internal error", e);
            return audit(protocol, mechanism, Outcome.refused(Optional.of(authenticatedMailbox), "internal error"), remote);
        }
    }

    /** May the actor behind this session send as {@code address}? Empty when allowed, else the reason. */
    public Optional<String> sendRefusal(String sessionMailbox, Optional<String> actorIdentity, String address) {
        try {
            String wanted = address.trim().toLowerCase(Locale.ROOT);
            if (wanted.equals(sessionMailbox.trim().toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
            Optional<String> identity = actorIdentity.or(() -> identityOfQuietly(sessionMailbox));
            if (identity.isEmpty()) {
                return Optional.of(sessionMailbox + " may only send as itself");
            }
            MailboxAccess.Decision decision = access.decide(identity.get(), wanted, Purpose.SEND);
            return decision instanceof MailboxAccess.Decision.Refused refused ? Optional.of(refused.reason()) : Optional.empty();
        } catch (SQLException e) {
            LOGGER.error("Sender authorisation failed on an internal error", e);
            return Optional.of("temporary failure");
        }
    }

    private Optional<String> identityOfQuietly(String mailbox) {
        try {
            return access.identityOf(mailbox);
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private Outcome decide(String identity, Optional<String> requested, Purpose purpose) {
        try {
            MailboxAccess.Decision decision = access.resolve(identity, requested, purpose);
            if (decision instanceof MailboxAccess.Decision.Allowed allowed) {
                access.touch(allowed.mailbox());
                return new Outcome(true, Optional.of(allowed.mailbox()), Optional.of(identity), allowed.role().toLowerCase(Locale.ROOT));
            }
            return Outcome.refused(Optional.of(identity), ((MailboxAccess.Decision.Refused) decision).reason());
        } catch (SQLException e) {
            LOGGER.error("Mailbox access decision failed on an internal error", e);
            return Outcome.refused(Optional.of(identity), "internal error");
        }
    }

    private Outcome audit(String protocol, String mechanism, Outcome outcome, String remote) {
        return audit(protocol, mechanism, outcome, remote, outcome.success() ? "SUCCESS" : "FAILURE");
    }

    private Outcome audit(String protocol, String mechanism, Outcome outcome, String remote, String label) {
        log.record(new AuthenticationLog.Event(protocol, mechanism, outcome.actor(), outcome.mailbox(), label,
            Optional.of(outcome.reason()), Optional.ofNullable(remote)));
        return outcome;
    }

    private static Optional<X509Certificate[]> peerChain(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
                return Optional.empty();
            }
            X509Certificate[] x509 = new X509Certificate[chain.length];
            for (int i = 0; i < chain.length; i++) {
                x509[i] = (X509Certificate) chain[i];
            }
            return Optional.of(x509);
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    static String sha256(X509Certificate certificate) throws GeneralSecurityException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
