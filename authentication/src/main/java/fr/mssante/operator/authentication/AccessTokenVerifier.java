package fr.mssante.operator.authentication;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks OAuth 2 access tokens for SASL XOAUTH2/OAUTHBEARER. Locally: a JWS (RS256/384/512, ES256/384/512) whose
 * signature verifies with a key of the issuer's JWKS, then {@code iss}, {@code aud}, {@code exp} and {@code nbf} (with a
 * clock skew), and the identity claim. The key set is replaced as a whole at every fetch, so a key the issuer withdraws
 * stops being trusted: it is re-fetched when an unknown {@code kid} shows up (at most every 30 s), and when the set is
 * older than {@value #JWKS_MAX_AGE_MINUTES} minutes (at the next verification); a set that could not be refreshed for
 * {@value #JWKS_MAX_STALE_MINUTES} minutes is no longer trusted at all (tokens are refused until the issuer answers).
 * Or, when configured, by introspection (RFC 7662): the token must be {@code active}, from the issuer, for the
 * audience, and carry the identity claim. Refusal reasons are for the audit trail and never contain the token.
 */
public class AccessTokenVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int JWKS_MAX_AGE_MINUTES = 5;
    static final int JWKS_MAX_STALE_MINUTES = 60;
    private static final Duration JWKS_MIN_REFRESH = Duration.ofSeconds(30);
    private static final Duration JWKS_MAX_AGE = Duration.ofMinutes(JWKS_MAX_AGE_MINUTES);
    private static final Duration JWKS_MAX_STALE = Duration.ofMinutes(JWKS_MAX_STALE_MINUTES);
    private static final Logger LOGGER = LoggerFactory.getLogger(AccessTokenVerifier.class);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final OidcSettings settings;
    private final Clock clock;
    private final HttpClient http;
    /** The issuer's current key set, replaced as a whole (never merged) at each successful fetch. */
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile Instant lastJwksAttempt = Instant.EPOCH;
    private volatile Instant lastJwksSuccess = Instant.EPOCH;

    public AccessTokenVerifier(OidcSettings settings, Clock clock) {
        this(settings, clock, HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build());
    }

    public AccessTokenVerifier(OidcSettings settings, Clock clock, HttpClient http) {
        this.settings = settings;
        this.clock = clock;
        this.http = http;
    }

    public TokenVerdict verify(String token) {
        if (token == null || token.isBlank()) {
            return new TokenVerdict.Refused("empty token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return new TokenVerdict.Refused("token too long");
        }
        try {
            return settings.introspects() ? introspect(token) : verifyLocally(token);
        } catch (IOException e) {
            return new TokenVerdict.Refused("issuer unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TokenVerdict.Refused("interrupted");
        } catch (RuntimeException | GeneralSecurityException e) {
            return new TokenVerdict.Refused("malformed token");
        }
    }

    private TokenVerdict verifyLocally(String token) throws IOException, InterruptedException, GeneralSecurityException {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return new TokenVerdict.Refused("not a signed JWT");
        }
        JsonNode header = JSON.readTree(decode(parts[0]));
        String algorithm = header.path("alg").asText("");
        Optional<String> jdkAlgorithm = jdkAlgorithm(algorithm);
        if (jdkAlgorithm.isEmpty()) {
            return new TokenVerdict.Refused("unsupported signature algorithm '" + algorithm + "'");
        }
        String kid = header.path("kid").asText("");
        Optional<PublicKey> key = key(kid);
        if (key.isEmpty()) {
            return new TokenVerdict.Refused("unknown signing key '" + kid + "'");
        }
        if (!keyMatches(algorithm, key.get())) {
            return new TokenVerdict.Refused("key type does not match '" + algorithm + "'");
        }
        Signature signature = Signature.getInstance(jdkAlgorithm.get());
        signature.initVerify(key.get());
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        byte[] signatureBytes = decode(parts[2]);
        if (algorithm.startsWith("ES")) {
            signatureBytes = EcdsaSignatures.joseToDer(signatureBytes);
        }
        if (!signature.verify(signatureBytes)) {
            return new TokenVerdict.Refused("bad signature");
        }
        return checkClaims(JSON.readTree(decode(parts[1])), true);
    }

    private TokenVerdict checkClaims(JsonNode claims, boolean requireExp) {
        Instant now = clock.instant();
        if (!settings.issuer().equals(claims.path("iss").asText(null))) {
            return new TokenVerdict.Refused("wrong issuer");
        }
        if (settings.audience().isPresent() && !audienceMatches(claims.path("aud"), settings.audience().get())) {
            return new TokenVerdict.Refused("wrong audience");
        }
        if (requireExp && !claims.path("exp").isNumber()) {
            return new TokenVerdict.Refused("no expiry");
        }
        Instant expiresAt = claims.path("exp").isNumber() ? Instant.ofEpochSecond(claims.path("exp").asLong()) : Instant.MAX;
        if (!now.isBefore(expiresAt.plus(settings.clockSkew()))) {
            return new TokenVerdict.Refused("expired");
        }
        if (claims.path("nbf").isNumber() && now.plus(settings.clockSkew()).isBefore(Instant.ofEpochSecond(claims.path("nbf").asLong()))) {
            return new TokenVerdict.Refused("not yet valid");
        }
        String identity = claims.path(settings.identityClaim()).asText("").trim();
        if (identity.isEmpty()) {
            return new TokenVerdict.Refused("no '" + settings.identityClaim() + "' claim");
        }
        return new TokenVerdict.Valid(identity, expiresAt);
    }

    private TokenVerdict introspect(String token) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString((URLEncoder.encode(settings.clientId().orElseThrow(), StandardCharsets.UTF_8)
            + ":" + URLEncoder.encode(settings.clientSecret().orElseThrow(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(settings.introspectionUrl().orElseThrow())
            .timeout(HTTP_TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .header("Authorization", "Basic " + credentials)
            .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + "&token_type_hint=access_token"))
            .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("introspection answered HTTP " + response.statusCode());
        }
        JsonNode claims = JSON.readTree(response.body());
        if (!claims.path("active").asBoolean(false)) {
            return new TokenVerdict.Refused("inactive token");
        }
        return checkClaims(claims, false);
    }

    private static boolean audienceMatches(JsonNode aud, String expected) {
        if (aud.isTextual()) {
            return aud.asText().equals(expected);
        }
        if (aud.isArray()) {
            for (JsonNode one : aud) {
                if (one.asText().equals(expected)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Optional<PublicKey> key(String kid) throws IOException, InterruptedException, GeneralSecurityException {
        Instant now = clock.instant();
        boolean old = !now.isBefore(lastJwksSuccess.plus(JWKS_MAX_AGE));
        if (old || !keys.containsKey(kid)) {
            refresh(now, kid);
        }
        if (!now.isBefore(lastJwksSuccess.plus(JWKS_MAX_STALE))) {
            return Optional.empty();
        }
        return Optional.ofNullable(keys.get(kid));
    }

    /** Re-fetches the key set (at most every 30 s); on failure the current set stays until it is too stale. */
    private synchronized void refresh(Instant now, String kid) throws IOException, InterruptedException, GeneralSecurityException {
        boolean old = !now.isBefore(lastJwksSuccess.plus(JWKS_MAX_AGE));
        if ((!old && keys.containsKey(kid)) || now.isBefore(lastJwksAttempt.plus(JWKS_MIN_REFRESH))) {
            return;
        }
        lastJwksAttempt = now;
        try {
            Map<String, PublicKey> fetched = fetchJwks(settings.jwksUrl().orElseThrow());
            if (!fetched.keySet().containsAll(keys.keySet())) {
                LOGGER.info("The issuer withdrew signing keys {}; tokens signed with them are refused from now on",
                    keys.keySet().stream().filter(known -> !fetched.containsKey(known)).toList());
            }
            keys = Map.copyOf(fetched);
            lastJwksSuccess = now;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (keys.isEmpty() || !now.isBefore(lastJwksSuccess.plus(JWKS_MAX_STALE))) {
                throw e;
            }
            LOGGER.warn("Could not refresh the issuer's JWKS; keeping the key set fetched at {}", lastJwksSuccess, e);
        }
    }

    private Map<String, PublicKey> fetchJwks(URI jwks) throws IOException, InterruptedException, GeneralSecurityException {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(jwks).timeout(HTTP_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("JWKS answered HTTP " + response.statusCode());
        }
        Map<String, PublicKey> fetched = new ConcurrentHashMap<>();
        for (JsonNode jwk : JSON.readTree(response.body()).path("keys")) {
            String use = jwk.path("use").asText("sig");
            if (!use.equals("sig")) {
                continue;
            }
            String kid = jwk.path("kid").asText("");
            switch (jwk.path("kty").asText("")) {
                case "RSA" -> fetched.put(kid, KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                    unsigned(jwk.path("n").asText()), unsigned(jwk.path("e").asText()))));
                case "EC" -> fetched.put(kid, ecKey(jwk));
                default -> {
                    // other key types (oct, OKP) are not used for PSC access tokens
                }
            }
        }
        return fetched;
    }

    private static PublicKey ecKey(JsonNode jwk) throws GeneralSecurityException {
        String curve = switch (jwk.path("crv").asText("")) {
            case "P-256" -> "secp256r1";
            case "P-384" -> "secp384r1";
            case "P-521" -> "secp521r1";
            default -> throw new GeneralSecurityException("unsupported curve");
        };
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(curve));
        ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
        ECPoint point = new ECPoint(unsigned(jwk.path("x").asText()), unsigned(jwk.path("y").asText()));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
    }

    private static boolean keyMatches(String algorithm, PublicKey key) {
        return algorithm.startsWith("RS") ? key.getAlgorithm().equals("RSA") : key.getAlgorithm().equals("EC");
    }

    private static Optional<String> jdkAlgorithm(String jwsAlgorithm) {
        return Optional.ofNullable(switch (jwsAlgorithm) {
            case "RS256" -> "SHA256withRSA";
            case "RS384" -> "SHA384withRSA";
            case "RS512" -> "SHA512withRSA";
            case "ES256" -> "SHA256withECDSA";
            case "ES384" -> "SHA384withECDSA";
            case "ES512" -> "SHA512withECDSA";
            default -> null;
        });
    }

    private static BigInteger unsigned(String base64Url) {
        return new BigInteger(1, decode(base64Url));
    }

    private static byte[] decode(String base64Url) {
        return Base64.getUrlDecoder().decode(base64Url);
    }
}
