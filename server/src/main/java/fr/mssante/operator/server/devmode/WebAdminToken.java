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
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The development WebAdmin credential: an RSA key pair whose public half WebAdmin verifies
 * ({@code var/dev/webadmin-jwt-public.pem}) and an RS256 JWT with the {@code admin} claim written to
 * {@code var/dev/webadmin.token}. The private key is not kept: a new start simply issues a new pair and token.
 */
public final class WebAdminToken {
    static final String PUBLIC_KEY_FILE = "webadmin-jwt-public.pem";
    static final String TOKEN_FILE = "webadmin.token";
    private static final Duration VALIDITY = Duration.ofDays(30);

    private WebAdminToken() {
    }

    /** Writes a fresh public key and token into {@code devDirectory}. */
    public static void issue(Path devDirectory, String subject) {
        try {
            Files.createDirectories(devDirectory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            String publicPem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
            Instant now = Instant.now();
            String header = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
            String payload = base64Url("{\"sub\":\"" + subject + "\",\"admin\":true,\"iat\":" + now.getEpochSecond()
                + ",\"exp\":" + now.plus(VALIDITY).getEpochSecond() + "}");
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            String token = header + "." + payload + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
            Files.writeString(devDirectory.resolve(PUBLIC_KEY_FILE), publicPem, StandardCharsets.US_ASCII);
            Path tokenFile = devDirectory.resolve(TOKEN_FILE);
            Files.writeString(tokenFile, token + "\n", StandardCharsets.US_ASCII);
            tokenFile.toFile().setReadable(false, false);
            tokenFile.toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the WebAdmin token under " + devDirectory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot issue the WebAdmin token", e);
        }
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
