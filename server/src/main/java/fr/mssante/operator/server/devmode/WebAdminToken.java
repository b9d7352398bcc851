package fr.mssante.operator.server.devmode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The development WebAdmin credential: an RSA key pair whose public half WebAdmin verifies
 * ({@code var/dev/webadmin-jwt-public.pem}) and an RS256 JWT with the {@code admin} claim written to
 * {@code var/dev/webadmin.token}. The private key is not kept: a new start simply issues a new pair and tokens.
 *
 * <p>Two more tokens are signed by the same key, one per client application, so that WebAdmin can tell them apart:
 * {@code var/dev/console.token} (subject {@value #CONSOLE_SUBJECT}: the operator console, which names the operator
 * it acts for on each request) and {@code var/dev/health-space.token} (subject {@value #HEALTH_SPACE_SUBJECT}, claim
 * {@code mss_scope=citizens}: the health space, which may reach the citizen routes only).
 */
public final class WebAdminToken {
    static final String PUBLIC_KEY_FILE = "webadmin-jwt-public.pem";
    static final String TOKEN_FILE = "webadmin.token";
    public static final String CONSOLE_TOKEN_FILE = "console.token";
    public static final String CONSOLE_SUBJECT = "mss-console";
    public static final String HEALTH_SPACE_TOKEN_FILE = "health-space.token";
    public static final String HEALTH_SPACE_SUBJECT = "health-space";
    public static final String SCOPE_CLAIM = "mss_scope";
    private static final Duration VALIDITY = Duration.ofDays(30);

    private WebAdminToken() {
    }

    /** Writes a fresh public key and token into {@code devDirectory}. */
    public static void issue(Path devDirectory, String subject, Clock clock) {
        try {
            Files.createDirectories(devDirectory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            String publicPem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
            Files.writeString(devDirectory.resolve(PUBLIC_KEY_FILE), publicPem, StandardCharsets.US_ASCII);
            writeToken(devDirectory.resolve(TOKEN_FILE), clock, keys, "\"sub\":\"" + subject + "\"");
            writeToken(devDirectory.resolve(CONSOLE_TOKEN_FILE), clock, keys, "\"sub\":\"" + CONSOLE_SUBJECT + "\"");
            writeToken(devDirectory.resolve(HEALTH_SPACE_TOKEN_FILE), clock, keys,
                "\"sub\":\"" + HEALTH_SPACE_SUBJECT + "\",\"" + SCOPE_CLAIM + "\":\"citizens\"");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the WebAdmin token under " + devDirectory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot issue the WebAdmin token", e);
        }
    }

    private static void writeToken(Path tokenFile, Clock clock, KeyPair keys, String claims)
        throws IOException, GeneralSecurityException {
        Instant now = clock.instant();
        String header = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        // James's WebAdmin admits only tokens with admin=true; narrower scopes are enforced by our own filters
        String payload = base64Url("{" + claims + ",\"admin\":true,\"iat\":" + now.getEpochSecond()
            + ",\"exp\":" + now.plus(VALIDITY).getEpochSecond() + "}");
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(keys.getPrivate());
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        String token = header + "." + payload + "."
            + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        Files.writeString(tokenFile, token + "\n", StandardCharsets.US_ASCII);
        tokenFile.toFile().setReadable(false, false);
        tokenFile.toFile().setReadable(true, true);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
