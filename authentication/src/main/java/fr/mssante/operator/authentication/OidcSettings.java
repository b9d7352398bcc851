package fr.mssante.operator.authentication;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How access tokens (Pro Santé Connect style) are checked: either locally as JWTs against the issuer's JWKS, or by
 * token introspection (RFC 7662) with the operator's client credentials.
 *
 * @param issuer            expected {@code iss}
 * @param audience          expected {@code aud} (one of them when it is a list); empty = not checked (refused by the
 *                          configuration check in production)
 * @param jwksUrl           the issuer's JSON Web Key Set
 * @param introspectionUrl  when present, tokens are introspected instead of verified locally
 * @param clientId          introspection client id
 * @param clientSecret      introspection client secret
 * @param identityClaim     the claim naming the person ({@code SubjectNameID} = {@code 8}+RPPS for PSC)
 * @param clockSkew         tolerance on exp/nbf
 */
public record OidcSettings(String issuer, Optional<String> audience, Optional<URI> jwksUrl, Optional<URI> introspectionUrl,
                           Optional<String> clientId, Optional<String> clientSecret, String identityClaim,
                           Duration clockSkew) {
    public static final String DEFAULT_IDENTITY_CLAIM = "SubjectNameID";

    public OidcSettings {
        Objects.requireNonNull(issuer, "issuer");
        if (jwksUrl.isEmpty() && introspectionUrl.isEmpty()) {
            throw new IllegalArgumentException("OIDC needs a JWKS URL or an introspection URL");
        }
        if (introspectionUrl.isPresent() && (clientId.isEmpty() || clientSecret.isEmpty())) {
            throw new IllegalArgumentException("token introspection needs a client id and a client secret");
        }
    }

    public boolean introspects() {
        return introspectionUrl.isPresent();
    }
}
