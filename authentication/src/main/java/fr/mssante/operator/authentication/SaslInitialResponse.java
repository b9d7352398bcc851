package fr.mssante.operator.authentication;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The client's first message of the token mechanisms, decoded: the authorisation identity (the mailbox the client
 * asks for, when given) and the bearer token.
 * <ul>
 *   <li>XOAUTH2: {@code user=<address>^Aauth=Bearer <token>^A^A}</li>
 *   <li>OAUTHBEARER (RFC 7628): {@code n,a=<address>,^Aauth=Bearer <token>^A^A} (GS2 header, channel binding not
 *       supported: {@code n} or {@code y} only)</li>
 *   <li>EXTERNAL (RFC 4422): the authorisation identity alone, possibly empty ({@code =} in SMTP).</li>
 * </ul>
 */
public record SaslInitialResponse(Optional<String> authorizationId, String token) {
    private static final char SOH = '\u0001';

    public static Optional<SaslInitialResponse> parseXoauth2(String base64) {
        return decode(base64).flatMap(text -> {
            Optional<String> user = Optional.empty();
            Optional<String> token = Optional.empty();
            for (String field : text.split(String.valueOf(SOH))) {
                if (field.startsWith("user=")) {
                    user = nonBlank(field.substring("user=".length()));
                } else if (field.regionMatches(true, 0, "auth=Bearer ", 0, "auth=Bearer ".length())) {
                    token = nonBlank(field.substring("auth=Bearer ".length()));
                }
            }
            Optional<String> finalUser = user;
            return token.map(value -> new SaslInitialResponse(finalUser, value));
        });
    }

    public static Optional<SaslInitialResponse> parseOauthBearer(String base64) {
        return decode(base64).flatMap(text -> {
            int firstSoh = text.indexOf(SOH);
            if (firstSoh < 0) {
                return Optional.empty();
            }
            String gs2 = text.substring(0, firstSoh);
            if (!(gs2.startsWith("n,") || gs2.startsWith("y,"))) {
                return Optional.empty();
            }
            Optional<String> authzid = Optional.empty();
            for (String part : gs2.substring(2).split(",")) {
                if (part.startsWith("a=")) {
                    authzid = nonBlank(part.substring(2).replace("=2C", ",").replace("=3D", "="));
                }
            }
            Optional<String> token = Optional.empty();
            for (String field : text.substring(firstSoh + 1).split(String.valueOf(SOH))) {
                if (field.regionMatches(true, 0, "auth=Bearer ", 0, "auth=Bearer ".length())) {
                    token = nonBlank(field.substring("auth=Bearer ".length()));
                }
            }
            Optional<String> finalAuthzid = authzid;
            return token.map(value -> new SaslInitialResponse(finalAuthzid, value));
        });
    }

    /** EXTERNAL: {@code =} or empty means "derive it from my certificate". */
    public static Optional<String> parseExternal(String base64OrEquals) {
        if (base64OrEquals == null || base64OrEquals.isBlank() || base64OrEquals.trim().equals("=")) {
            return Optional.empty();
        }
        return decode(base64OrEquals).flatMap(SaslInitialResponse::nonBlank);
    }

    private static Optional<String> decode(String base64) {
        if (base64 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getMimeDecoder().decode(base64.trim()), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    @Override
    public String toString() {
        return "SaslInitialResponse[authorizationId=" + authorizationId + ", token=<redacted>]";
    }
}
