package fr.mssante.operator.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SaslAndTotpTest {
    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void xoauth2AndOauthBearerMessagesAreDecoded() {
        assertThat(SaslInitialResponse.parseXoauth2(b64("user=a@b.fr\u0001auth=Bearer tok.en\u0001\u0001")))
            .contains(new SaslInitialResponse(Optional.of("a@b.fr"), "tok.en"));
        assertThat(SaslInitialResponse.parseOauthBearer(b64("n,a=a@b.fr,\u0001host=x\u0001auth=Bearer tok.en\u0001\u0001")))
            .contains(new SaslInitialResponse(Optional.of("a@b.fr"), "tok.en"));
        assertThat(SaslInitialResponse.parseOauthBearer(b64("n,,\u0001auth=Bearer t\u0001\u0001")))
            .contains(new SaslInitialResponse(Optional.empty(), "t"));
        assertThat(SaslInitialResponse.parseOauthBearer(b64("p=tls-unique,,\u0001auth=Bearer t\u0001\u0001"))).isEmpty();
        assertThat(SaslInitialResponse.parseXoauth2("%%%not base64")).isEmpty();
        assertThat(SaslInitialResponse.parseXoauth2(b64("user=a@b.fr\u0001\u0001"))).isEmpty();
        assertThat(SaslInitialResponse.parseExternal("=")).isEmpty();
        assertThat(SaslInitialResponse.parseExternal(b64("labo@b.fr"))).contains("labo@b.fr");
        assertThat(new SaslInitialResponse(Optional.empty(), "secret-token").toString()).doesNotContain("secret-token");
    }

    @Test
    void totpMatchesTheRfc6238VectorAndRefusesReplays() {
        byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        // RFC 6238 appendix B, SHA-1, T=59 s: 94287082 (8 digits) -> 287082 with 6 digits
        assertThat(Totp.codeAt(secret, Instant.ofEpochSecond(59))).isEqualTo("287082");
        assertThat(Totp.codeAt(secret, Instant.ofEpochSecond(1111111109))).isEqualTo("081804");
        Instant now = Instant.ofEpochSecond(1111111109);
        long step = Totp.verify(secret, "081804", now, 0).orElseThrow();
        assertThat(Totp.verify(secret, "081804", now, step)).isEmpty();
        assertThat(Totp.verify(secret, "000000", now, 0)).isEmpty();
        assertThat(Totp.verify(secret, "08180", now, 0)).isEmpty();
        assertThat(Totp.base32(new byte[] {(byte) 0xff, 0})).isEqualTo("74AA");
    }

    @Test
    void ecdsaSignaturesConvertBetweenJoseAndDer() throws Exception {
        byte[] jose = new byte[64];
        jose[0] = (byte) 0x80;
        jose[63] = 1;
        byte[] der = EcdsaSignatures.joseToDer(jose);
        assertThat(EcdsaSignatures.derToJose(der, 32)).isEqualTo(jose);
    }
}
