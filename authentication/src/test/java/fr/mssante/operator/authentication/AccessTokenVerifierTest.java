package fr.mssante.operator.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import fr.mssante.operator.testsupport.MutableClock;

/** JWT checks with an ES256 key from a local JWKS, and the introspection alternative against a local endpoint. */
class AccessTokenVerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String ISSUER = "https://auth.example/realms/psc";

    private HttpServer http;
    private KeyPair ec;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicReference<String> introspection = new AtomicReference<>("{\"active\":false}");
    private final AtomicReference<String> authorization = new AtomicReference<>();
    /** The keys the issuer publishes now, by kid (null = the usual single key k1). */
    private final AtomicReference<Map<String, KeyPair>> published = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = generator.generateKeyPair();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        http.createContext("/certs", exchange -> {
            jwksFetches.incrementAndGet();
            Map<String, KeyPair> keys = published.get() == null ? Map.of("k1", ec) : published.get();
            answer(exchange, JSON.writeValueAsString(Map.of("keys", keys.entrySet().stream().map(entry -> {
                ECPublicKey key = (ECPublicKey) entry.getValue().getPublic();
                return Map.of("kty", "EC", "crv", "P-256", "kid", entry.getKey(), "use", "sig",
                    "x", b64(fixed(key.getW().getAffineX())), "y", b64(fixed(key.getW().getAffineY())));
            }).toList())));
        });
        http.createContext("/introspect", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            answer(exchange, introspection.get());
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private AccessTokenVerifier local() {
        return new AccessTokenVerifier(new OidcSettings(ISSUER, Optional.of("mss"), Optional.of(URI.create(base() + "/certs")),
            Optional.empty(), Optional.empty(), Optional.empty(), "SubjectNameID", Duration.ofSeconds(30)),
            Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", List.of("account", "mss"));
        claims.put("exp", NOW.plusSeconds(300).getEpochSecond());
        claims.put("nbf", NOW.minusSeconds(5).getEpochSecond());
        claims.put("SubjectNameID", "810000000001");
        return claims;
    }

    private String es256(String kid, Map<String, Object> claims) throws Exception {
        return es256(kid, ec, claims);
    }

    private String es256(String kid, KeyPair pair, Map<String, Object> claims) throws Exception {
        String input = b64(JSON.writeValueAsBytes(Map.of("alg", "ES256", "kid", kid))) + "." + b64(JSON.writeValueAsBytes(claims));
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(pair.getPrivate());
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(EcdsaSignatures.derToJose(signature.sign(), 32));
    }

    @Test
    void es256TokensAreCheckedClaimByClaim() throws Exception {
        AccessTokenVerifier verifier = local();
        assertThat(verifier.verify(es256("k1", claims()))).isEqualTo(new TokenVerdict.Valid("810000000001", NOW.plusSeconds(300)));

        Map<String, Object> expired = claims();
        expired.put("exp", NOW.minusSeconds(31).getEpochSecond());
        assertThat(verifier.verify(es256("k1", expired))).isEqualTo(new TokenVerdict.Refused("expired"));
        Map<String, Object> withinSkew = claims();
        withinSkew.put("exp", NOW.minusSeconds(10).getEpochSecond());
        assertThat(verifier.verify(es256("k1", withinSkew))).isInstanceOf(TokenVerdict.Valid.class);
        Map<String, Object> early = claims();
        early.put("nbf", NOW.plusSeconds(120).getEpochSecond());
        assertThat(verifier.verify(es256("k1", early))).isEqualTo(new TokenVerdict.Refused("not yet valid"));
        Map<String, Object> audience = claims();
        audience.put("aud", "account");
        assertThat(verifier.verify(es256("k1", audience))).isEqualTo(new TokenVerdict.Refused("wrong audience"));
        Map<String, Object> anonymous = claims();
        anonymous.remove("SubjectNameID");
        assertThat(verifier.verify(es256("k1", anonymous))).isEqualTo(new TokenVerdict.Refused("no 'SubjectNameID' claim"));

        String good = es256("k1", claims());
        String tampered = good.substring(0, good.indexOf('.') + 1) + b64(JSON.writeValueAsBytes(Map.of("iss", ISSUER,
            "aud", "mss", "exp", NOW.plusSeconds(300).getEpochSecond(), "SubjectNameID", "899999999999")))
            + good.substring(good.lastIndexOf('.'));
        assertThat(verifier.verify(tampered)).isEqualTo(new TokenVerdict.Refused("bad signature"));
        String none = b64("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + good.split("\\.")[1] + ".";
        assertThat(verifier.verify(none)).isEqualTo(new TokenVerdict.Refused("unsupported signature algorithm 'none'"));
        assertThat(verifier.verify("garbage")).isEqualTo(new TokenVerdict.Refused("not a signed JWT"));
    }

    @Test
    void unknownKeyIdsDoNotHammerTheIssuer() throws Exception {
        AccessTokenVerifier verifier = local();
        assertThat(verifier.verify(es256("k1", claims()))).isInstanceOf(TokenVerdict.Valid.class);
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify(es256("rotated-" + i, claims()))).isEqualTo(new TokenVerdict.Refused("unknown signing key 'rotated-" + i + "'"));
        }
        assertThat(jwksFetches.get()).isEqualTo(1);
    }

    @Test
    void keysTheIssuerWithdrawsStopBeingTrustedWithoutARestart() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        AccessTokenVerifier verifier = new AccessTokenVerifier(new OidcSettings(ISSUER, Optional.of("mss"),
            Optional.of(URI.create(base() + "/certs")), Optional.empty(), Optional.empty(), Optional.empty(), "SubjectNameID",
            Duration.ofSeconds(30)), clock);
        KeyPair old = ec;
        KeyPair next = newKey();
        KeyPair third = newKey();
        published.set(Map.of("old", old));
        assertThat(verifier.verify(es256("old", old, longLived()))).isInstanceOf(TokenVerdict.Valid.class);

        // rotation: the issuer publishes "next" and withdraws "old"; the first token with the unknown kid refreshes the set
        published.set(Map.of("next", next));
        clock.advance(Duration.ofSeconds(31));
        assertThat(verifier.verify(es256("next", next, longLived()))).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(verifier.verify(es256("old", old, longLived()))).as("withdrawn key evicted at the refresh")
            .isEqualTo(new TokenVerdict.Refused("unknown signing key 'old'"));

        // periodic refresh: a key withdrawn while no new kid shows up goes at the next refresh (5 minutes)
        published.set(Map.of("next", next, "third", third));
        clock.advance(Duration.ofSeconds(31));
        assertThat(verifier.verify(es256("third", third, longLived()))).isInstanceOf(TokenVerdict.Valid.class);
        published.set(Map.of("third", third));
        clock.advance(Duration.ofMinutes(1));
        assertThat(verifier.verify(es256("next", next, longLived()))).as("still within the refresh period")
            .isInstanceOf(TokenVerdict.Valid.class);
        int fetches = jwksFetches.get();
        clock.advance(Duration.ofMinutes(5));
        assertThat(verifier.verify(es256("next", next, longLived()))).isEqualTo(new TokenVerdict.Refused("unknown signing key 'next'"));
        assertThat(jwksFetches.get()).isEqualTo(fetches + 1);
        for (int i = 0; i < 5; i++) {
            verifier.verify(es256("next", next, longLived()));
        }
        assertThat(jwksFetches.get()).as("unknown kids re-fetch at most every 30 s").isEqualTo(fetches + 1);

        // an issuer that stops answering: the last set is kept for a while, then nothing is trusted
        http.stop(0);
        clock.advance(Duration.ofMinutes(10));
        assertThat(verifier.verify(es256("third", third, longLived()))).isInstanceOf(TokenVerdict.Valid.class);
        clock.advance(Duration.ofMinutes(60));
        assertThat(verifier.verify(es256("third", third, longLived()))).isInstanceOf(TokenVerdict.Refused.class);
    }

    private Map<String, Object> longLived() {
        Map<String, Object> claims = claims();
        claims.put("exp", NOW.plus(Duration.ofDays(1)).getEpochSecond());
        return claims;
    }

    private static KeyPair newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    @Test
    void introspectionDecidesWhenConfigured() throws Exception {
        AccessTokenVerifier verifier = new AccessTokenVerifier(new OidcSettings(ISSUER, Optional.of("mss"), Optional.empty(),
            Optional.of(URI.create(base() + "/introspect")), Optional.of("mss-client"), Optional.of("s3cret"), "SubjectNameID",
            Duration.ofSeconds(30)), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(verifier.verify("opaque-token")).isEqualTo(new TokenVerdict.Refused("inactive token"));
        assertThat(authorization.get()).isEqualTo("Basic " + Base64.getEncoder().encodeToString("mss-client:s3cret".getBytes(StandardCharsets.UTF_8)));
        introspection.set("{\"active\":true,\"iss\":\"" + ISSUER + "\",\"aud\":\"mss\",\"exp\":" + NOW.plusSeconds(60).getEpochSecond()
            + ",\"SubjectNameID\":\"810000000001\"}");
        assertThat(verifier.verify("opaque-token")).isEqualTo(new TokenVerdict.Valid("810000000001", NOW.plusSeconds(60)));
        introspection.set("{\"active\":true,\"iss\":\"" + ISSUER + "\",\"aud\":\"other\",\"SubjectNameID\":\"810000000001\"}");
        assertThat(verifier.verify("opaque-token")).isEqualTo(new TokenVerdict.Refused("wrong audience"));
        http.stop(0);
        assertThat(verifier.verify("opaque-token")).isInstanceOf(TokenVerdict.Refused.class)
            .extracting(verdict -> ((TokenVerdict.Refused) verdict).reason()).asString().startsWith("issuer unreachable");
    }

    private static byte[] fixed(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
        return out;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
