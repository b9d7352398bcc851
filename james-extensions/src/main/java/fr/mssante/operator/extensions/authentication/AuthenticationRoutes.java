package fr.mssante.operator.extensions.authentication;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.security.auth.x500.X500Principal;
import javax.sql.DataSource;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import spark.Service;

import fr.mssante.operator.authentication.Authentication;
import fr.mssante.operator.authentication.AuthenticationLog;
import fr.mssante.operator.authentication.AuthenticationSettings;
import fr.mssante.operator.authentication.LoginThrottle;
import fr.mssante.operator.authentication.PasswordPolicy;
import fr.mssante.operator.authentication.TotpStore;
import fr.mssante.operator.extensions.webadmin.JsonRoute;
import fr.mssante.operator.extensions.webadmin.NotFoundException;
import fr.mssante.operator.smime.keystore.MasterKey;

/**
 * WebAdmin routes (JWT-protected) of professionals' access:
 * <ul>
 *   <li>{@code PUT /mss/mailboxes/{address}/password-login/{DISABLED|PASSWORD|PASSWORD_TOTP|DEFAULT}};</li>
 *   <li>{@code POST /mss/mailboxes/{address}/totp}: enrols (or renews) the TOTP secret, answered once in base32 with
 *       its {@code otpauth://} URI;</li>
 *   <li>{@code PUT /mss/mailboxes/{address}/certificates} with a PEM certificate as body (registers its subject and
 *       pins its SHA-256) or {@code ?subject=DN} (any certificate for that subject);
 *       {@code DELETE /mss/mailboxes/{address}/certificates?subject=DN};</li>
 *   <li>{@code GET /mss/authentication/events?limit=N}: the audit trail, newest first;</li>
 *   <li>{@code DELETE /mss/authentication/locks/{login}}: lifts the login throttle's blocks of a login (every source);</li>
 *   <li>{@code DELETE /mss/authentication/sources/{address}}: lifts the blocks of a client address.</li>
 * </ul>
 */
public class AuthenticationRoutes implements Routes {
    private final Authentication authentication;
    private final AuthenticationLog log;
    private final LoginThrottle throttle;
    private final AuthenticationSettings settings;
    private final DataSource dataSource;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public AuthenticationRoutes(Authentication authentication, AuthenticationLog log, LoginThrottle throttle,
                                AuthenticationSettings settings, DataSource dataSource) {
        this.authentication = authentication;
        this.log = log;
        this.throttle = throttle;
        this.settings = settings;
        this.dataSource = dataSource;
    }

    @Override
    public String getBasePath() {
        return "/mss/authentication";
    }

    @Override
    public void define(Service service) {
        service.put("/mss/mailboxes/:address/password-login/:policy", JsonRoute.of((request, response) -> {
            String policy = request.params("policy").toUpperCase(Locale.ROOT);
            existing(request.params("address"));
            authentication.access().setPasswordPolicy(request.params("address"),
                policy.equals("DEFAULT") ? Optional.empty() : Optional.of(PasswordPolicy.valueOf(policy)));
            return Map.of("address", request.params("address").toLowerCase(Locale.ROOT), "passwordLogin", policy);
        }), json);
        service.post("/mss/mailboxes/:address/totp", JsonRoute.of((request, response) -> {
            if (settings.masterKey().isEmpty()) {
                throw new IllegalArgumentException("TOTP needs the operator master key (MSS_SMIME_MASTER_KEY)");
            }
            String address = existing(request.params("address"));
            String secret = new TotpStore(dataSource, MasterKey.fromBase64(settings.masterKey().get()))
                .enrol(address);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("address", address);
            body.put("secret", secret);
            body.put("uri", "otpauth://totp/MSSante:" + address + "?secret=" + secret + "&issuer=MSSante&digits=6&period=30");
            return body;
        }), json);
        service.put("/mss/mailboxes/:address/certificates", JsonRoute.of((request, response) -> {
            String address = existing(request.params("address"));
            String subject;
            Optional<String> pin = Optional.empty();
            if (request.queryParams("subject") != null) {
                subject = new X500Principal(request.queryParams("subject")).getName(X500Principal.RFC2253);
            } else {
                X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(request.body().getBytes(StandardCharsets.US_ASCII)));
                subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
                pin = Optional.of(Authentication.sha256(certificate));
            }
            authentication.access().registerCertificate(address, subject, pin);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("address", address);
            body.put("subject", subject);
            body.put("sha256", pin.orElse(null));
            return body;
        }), json);
        service.delete("/mss/mailboxes/:address/certificates", JsonRoute.of((request, response) -> {
            String subject = new X500Principal(Optional.ofNullable(request.queryParams("subject"))
                .orElseThrow(() -> new IllegalArgumentException("query parameter 'subject' is required"))).getName(X500Principal.RFC2253);
            existing(request.params("address"));
            authentication.access().removeCertificate(request.params("address"), subject);
            return Map.of("removed", subject);
        }), json);
        service.get("/mss/authentication/events", JsonRoute.of((request, response) -> {
            int limit = Optional.ofNullable(request.queryParams("limit")).map(Integer::parseInt).orElse(100);
            return log.latest(Math.min(limit, 1000)).stream().map(event -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("protocol", event.protocol());
                row.put("mechanism", event.mechanism());
                row.put("actor", event.actor().orElse(null));
                row.put("mailbox", event.mailbox().orElse(null));
                row.put("outcome", event.outcome());
                row.put("reason", event.reason().orElse(null));
                row.put("remote", event.remote().orElse(null));
                return row;
            }).toList();
        }), json);
        service.delete("/mss/authentication/locks/:login", JsonRoute.of((request, response) -> {
            throttle.unlock(request.params("login"));
            return Map.of("unlocked", request.params("login").toLowerCase(Locale.ROOT));
        }), json);
        service.delete("/mss/authentication/sources/:address", JsonRoute.of((request, response) -> {
            throttle.unlockSource(request.params("address"));
            return Map.of("unlocked", request.params("address").toLowerCase(Locale.ROOT));
        }), json);
    }

    /** The mailbox's address (lower-cased) if it is in the register; otherwise a 404. */
    private String existing(String address) throws SQLException {
        String key = address.toLowerCase(Locale.ROOT);
        if (authentication.access().find(key).isEmpty()) {
            throw new NotFoundException("no mailbox " + key);
        }
        return key;
    }
}
