package fr.mssante.operator.authentication;

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

import fr.mssante.operator.register.AccessRole;

/**
 * Every way a professional or an application logs in, independent of the protocol: access tokens (XOAUTH2,
 * OAUTHBEARER), client certificates (EXTERNAL) and passwords (PLAIN, LOGIN; with TOTP where required). Each attempt
 * is decided against the register, throttled where a secret can be guessed, and written to the audit trail.
 */
public class Authentication {
    private static final Logger LOGGER = LoggerFactory.getLogger(Authentication.class);

    /**
     * The user store's password hashes. An unknown login is checked against {@link #dummy()}, so that it costs the same
     * hash work as a known one (no timing difference tells which logins exist).
     */
    public interface PasswordChecker {
        /** The stored password of a login; empty when there is none (no hash work done here). */
        Optional<StoredPassword> find(String login) throws Exception;

        /** A stored password of a random secret, hashed like real ones: verifying against it costs what a real check costs. */
        StoredPassword dummy();
    }

    /** One stored password hash. */
    @FunctionalInterface
    public interface StoredPassword {
        boolean verify(String password);
    }

    /** Validates a client certificate chain (roots, validity, revocation); empty when it is acceptable. */
    @FunctionalInterface
    public interface CertificateChecker {
        Optional<String> refusal(X509Certificate[] chain);
    }

    /**
     * The result of one attempt.
     *
     * @param mailbox   the mailbox the session uses (its James user)
     * @param actor     who really logged in, for the audit: a national id, a certificate subject or the login name
     * @param reason    on success, the role or proof; on refusal, why (for the audit trail only: never shown to the client)
     * @param principal on success, who the session is and how it was proven: every later decision derives from it
     * @param role      on success through the register, the identity's role on the mailbox (its rights: {@link AccessRole})
     */
    public record Outcome(boolean success, Optional<String> mailbox, Optional<String> actor, String reason,
                          Optional<AuthenticatedPrincipal> principal, Optional<AccessRole> role) {
        static Outcome refused(Optional<String> actor, String reason) {
            return new Outcome(false, Optional.empty(), actor, reason, Optional.empty(), Optional.empty());
        }

        static Outcome allowed(String mailbox, Optional<String> actor, String reason, AuthenticatedPrincipal principal) {
            return new Outcome(true, Optional.of(mailbox), actor, reason, Optional.of(principal), Optional.empty());
        }

        static Outcome allowed(MailboxAccess.Decision.Allowed decision, Optional<String> actor, AuthenticatedPrincipal principal) {
            return new Outcome(true, Optional.of(decision.mailbox()), actor, decision.grounds().toLowerCase(Locale.ROOT),
                Optional.of(principal), decision.role());
        }

        /** Whether the session may change the mailbox's content: not when its role is read-only ({@link AccessRole#mayModify()}). */
        public boolean mayModify() {
            return role.map(AccessRole::mayModify).orElse(true);
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
    private final CitizenMailboxes citizens;

    public Authentication(MailboxAccess access, AuthenticationLog log, LoginThrottle throttle, Optional<AccessTokenVerifier> tokens,
                          Optional<TotpStore> totp, PasswordChecker passwords, CertificateChecker certificates,
                          PasswordPolicy defaultPolicy, Clock clock) {
        this(access, log, throttle, tokens, totp, passwords, certificates, defaultPolicy, clock, CitizenMailboxes.NONE);
    }

    public Authentication(MailboxAccess access, AuthenticationLog log, LoginThrottle throttle, Optional<AccessTokenVerifier> tokens,
                          Optional<TotpStore> totp, PasswordChecker passwords, CertificateChecker certificates,
                          PasswordPolicy defaultPolicy, Clock clock, CitizenMailboxes citizens) {
        this.citizens = citizens;
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
        AuthenticatedPrincipal.Person person = new AuthenticatedPrincipal.Person(((TokenVerdict.Valid) verdict).identity(),
            AuthenticatedPrincipal.Proof.ACCESS_TOKEN);
        return audit(protocol, mechanism, decide(person, response.get().authorizationId(), purpose), remote);
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
        if (citizens.gatewaySubject().filter(subject::equals).isPresent()) {
            return audit(protocol, "EXTERNAL", citizenGateway(subject, authorizationId), remote);
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
            if (citizens.isCitizenAddress(chosen.get())) {
                return audit(protocol, "EXTERNAL", Outcome.refused(actor, "only the health space opens a citizen mailbox"), remote);
            }
            MailboxAccess.Entry mailbox = access.find(chosen.get()).orElseThrow();
            if (!mailbox.kind().certificateLogin()) {
                return audit(protocol, "EXTERNAL", Outcome.refused(actor, "certificate login is for applicative (APP) mailboxes"), remote);
            }
            if (!mailbox.state().usable()) {
                return audit(protocol, "EXTERNAL", Outcome.refused(actor, "mailbox " + mailbox.address() + " is "
                    + mailbox.state().name().toLowerCase(Locale.ROOT)), remote);
            }
            access.touch(mailbox.address());
            return audit(protocol, "EXTERNAL", Outcome.allowed(mailbox.address(), actor, "certificate",
                new AuthenticatedPrincipal.MailboxCredential(mailbox.address(), AuthenticatedPrincipal.Proof.MAILBOX_CERTIFICATE)), remote);
        } catch (SQLException | GeneralSecurityException e) {
            LOGGER.error("EXTERNAL authentication failed on an internal error", e);
            return audit(protocol, "EXTERNAL", Outcome.refused(actor, "internal error"), remote);
        }
    }

    /**
     * PLAIN / LOGIN / IMAP LOGIN: password, followed by a TOTP code where the mailbox requires one. Throttled per
     * (source address, login) and per source address; the same hash work is done whether or not the login exists and
     * whatever the refusal. Success proves the secret of this one mailbox ({@link AuthenticatedPrincipal.MailboxCredential}).
     */
    public Outcome password(String protocol, String mechanism, String login, String secret, String remote) {
        String name = login == null ? "" : login.trim().toLowerCase(Locale.ROOT);
        Optional<String> actor = Optional.of(name);
        try {
            Optional<LoginThrottle.Block> blocked = throttle.blocked(remote, name);
            if (blocked.isPresent()) {
                return audit(protocol, mechanism, Outcome.refused(actor, blocked.get().reason() + ", until " + blocked.get().until()),
                    remote, "LOCKED_OUT");
            }
            if (citizens.isCitizenAddress(name)) {
                // a format check, not a lookup: it tells nothing about which citizens exist
                return audit(protocol, mechanism, Outcome.refused(actor, "a citizen mailbox cannot be reached by a password"), remote);
            }
            Optional<MailboxAccess.Entry> mailbox = access.find(name);
            PasswordPolicy policy = mailbox.flatMap(MailboxAccess.Entry::passwordLogin).orElse(defaultPolicy);
            boolean withTotp = policy == PasswordPolicy.PASSWORD_TOTP;
            String password = secret == null ? "" : withTotp && secret.length() > Totp.DIGITS
                ? secret.substring(0, secret.length() - Totp.DIGITS) : secret;
            Optional<StoredPassword> stored = passwords.find(name);
            // always one hash, against the real hash or a dummy one: refusals take as long as a wrong password
            boolean passwordMatches = stored.orElseGet(passwords::dummy).verify(password) && stored.isPresent() && secret != null;
            Optional<String> refusal;
            if (mailbox.isPresent() && !mailbox.get().state().usable()) {
                refusal = Optional.of("mailbox is " + mailbox.get().state().name().toLowerCase(Locale.ROOT));
            } else if (policy == PasswordPolicy.DISABLED) {
                refusal = Optional.of("password login is not allowed for this mailbox");
            } else if (stored.isEmpty()) {
                refusal = Optional.of("unknown login");
            } else if (!passwordMatches) {
                refusal = Optional.of(withTotp ? "bad password or code" : "bad password");
            } else if (withTotp && !(secret.length() > Totp.DIGITS && totp.isPresent()
                && totp.get().verify(name, secret.substring(secret.length() - Totp.DIGITS), clock.instant()))) {
                refusal = Optional.of("bad password or code");
            } else {
                refusal = Optional.empty();
            }
            if (refusal.isPresent()) {
                Optional<LoginThrottle.Block> block = throttle.failed(remote, name);
                Outcome outcome = audit(protocol, mechanism, Outcome.refused(actor, refusal.get()), remote);
                block.ifPresent(started -> log.record(new AuthenticationLog.Event(protocol, mechanism, actor, Optional.empty(), "LOCKED",
                    Optional.of(started.reason()), Optional.ofNullable(remote))));
                return outcome;
            }
            throttle.succeeded(remote, name);
            access.touch(name);
            AuthenticatedPrincipal.Proof proof = withTotp ? AuthenticatedPrincipal.Proof.PASSWORD_TOTP : AuthenticatedPrincipal.Proof.PASSWORD;
            return audit(protocol, mechanism, Outcome.allowed(name, actor, policy.name().toLowerCase(Locale.ROOT),
                new AuthenticatedPrincipal.MailboxCredential(name, proof)), remote);
        } catch (Exception e) {
            LOGGER.error("Password authentication failed on an internal error", e);
            return audit(protocol, mechanism, Outcome.refused(actor, "internal error"), remote);
        }
    }

    /**
     * A session authenticated as {@code principal} asks to act as another mailbox (SASL authorisation identity). A
     * mailbox's secret opens that mailbox only; a person's rights come from the register.
     */
    public Outcome loginAs(String protocol, String mechanism, AuthenticatedPrincipal principal, String target, Purpose purpose,
                           String remote) {
        Optional<String> actor = Optional.of(actorOf(principal));
        try {
            MailboxAccess.Decision decision = authorise(principal, target, purpose);
            if (decision instanceof MailboxAccess.Decision.Allowed allowed) {
                access.touch(allowed.mailbox());
                return audit(protocol, mechanism, Outcome.allowed(allowed, actor, principal), remote);
            }
            return audit(protocol, mechanism, Outcome.refused(actor, ((MailboxAccess.Decision.Refused) decision).reason()), remote);
        } catch (SQLException e) {
            LOGGER.error("Delegated login failed on an internal error", e);
            return audit(protocol, mechanism, Outcome.refused(actor, "internal error"), remote);
        }
    }

    /**
     * What {@code principal} may do with {@code address}: a mailbox credential covers its own mailbox and nothing else;
     * a person gets what the register grants (holder, co-holder, delegate).
     */
    public MailboxAccess.Decision authorise(AuthenticatedPrincipal principal, String address, Purpose purpose) throws SQLException {
        if (principal instanceof AuthenticatedPrincipal.CitizenGateway gateway) {
            if (!gateway.covers(address)) {
                return new MailboxAccess.Decision.Refused("the health space acts for " + gateway.citizen() + " only");
            }
            return citizens.refusal(gateway.citizen()).<MailboxAccess.Decision>map(MailboxAccess.Decision.Refused::new)
                .orElseGet(() -> new MailboxAccess.Decision.Allowed(gateway.citizen(), "CITIZEN_GATEWAY"));
        }
        if (citizens.isCitizenAddress(address)) {
            return new MailboxAccess.Decision.Refused("only the health space opens a citizen mailbox");
        }
        if (principal instanceof AuthenticatedPrincipal.MailboxCredential credential) {
            return credential.covers(address)
                ? new MailboxAccess.Decision.Allowed(credential.mailbox(), "OWN_" + credential.proof().name())
                : new MailboxAccess.Decision.Refused("a " + credential.describe() + " of " + credential.mailbox()
                    + " opens that mailbox only; a holder's, co-holder's or delegate's rights need an access token");
        }
        return access.decide(((AuthenticatedPrincipal.Person) principal).identity(), address, purpose);
    }

    /** May the principal of a session using {@code sessionMailbox} send as {@code address}? Empty when allowed, else why. */
    public Optional<String> sendRefusal(AuthenticatedPrincipal principal, String sessionMailbox, String address) {
        try {
            String wanted = address.trim().toLowerCase(Locale.ROOT);
            if (principal instanceof AuthenticatedPrincipal.MailboxCredential && wanted.equals(sessionMailbox.trim().toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
            MailboxAccess.Decision decision = authorise(principal, wanted, Purpose.SEND);
            return decision instanceof MailboxAccess.Decision.Refused refused ? Optional.of(refused.reason()) : Optional.empty();
        } catch (SQLException e) {
            LOGGER.error("Sender authorisation failed on an internal error", e);
            return Optional.of("temporary failure");
        }
    }

    private static String actorOf(AuthenticatedPrincipal principal) {
        if (principal instanceof AuthenticatedPrincipal.CitizenGateway gateway) {
            return gateway.gateway();
        }
        return principal instanceof AuthenticatedPrincipal.MailboxCredential credential ? credential.mailbox()
            : ((AuthenticatedPrincipal.Person) principal).identity();
    }

    /** The health space's certificate: the citizen named as authorisation identity, if served here and open. */
    private Outcome citizenGateway(String subject, Optional<String> authorizationId) {
        Optional<String> actor = Optional.of(subject);
        if (authorizationId.isEmpty() || authorizationId.get().isBlank()) {
            return Outcome.refused(actor, "the health space must name the citizen (authorisation identity)");
        }
        String citizen = authorizationId.get().trim().toLowerCase(Locale.ROOT);
        if (!citizens.isCitizenAddress(citizen)) {
            return Outcome.refused(actor, "the health space opens citizen mailboxes only");
        }
        Optional<String> refusal = citizens.refusal(citizen);
        if (refusal.isPresent()) {
            return Outcome.refused(actor, refusal.get());
        }
        return Outcome.allowed(citizen, actor, "citizen_gateway", new AuthenticatedPrincipal.CitizenGateway(citizen, subject));
    }

    private Outcome decide(AuthenticatedPrincipal.Person person, Optional<String> requested, Purpose purpose) {
        String identity = person.identity();
        try {
            MailboxAccess.Decision decision = access.resolve(identity, requested, purpose);
            if (decision instanceof MailboxAccess.Decision.Allowed allowed) {
                access.touch(allowed.mailbox());
                return Outcome.allowed(allowed, Optional.of(identity), person);
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

    /** The SHA-256 fingerprint (lower-case hex) that pins a registered client certificate. */
    public static String sha256(X509Certificate certificate) throws GeneralSecurityException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** {@code text} as a log line may name it (patient addresses hashed): see {@link AuthenticationLog#forLog}. */
    public String forLog(String text) {
        return log.forLog(text);
    }
}
