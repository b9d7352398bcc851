package fr.mssante.operator.console.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** RFC 6238 appendix B test vectors (SHA-1 seed "12345678901234567890"), truncated to 6 digits; drift and replay. */
class TotpTest {
    static final String SECRET = Base32.encode("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    @Test
    void rfc6238Vectors() {
        assertThat(SECRET).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(Totp.code(SECRET, Totp.step(Instant.ofEpochSecond(59)))).isEqualTo("287082");
        assertThat(Totp.code(SECRET, Totp.step(Instant.ofEpochSecond(1111111109)))).isEqualTo("081804");
        assertThat(Totp.code(SECRET, Totp.step(Instant.ofEpochSecond(1234567890)))).isEqualTo("005924");
        assertThat(Totp.code(SECRET, Totp.step(Instant.ofEpochSecond(20000000000L)))).isEqualTo("353130");
    }

    @Test
    void oneStepOfDriftAndNoReplay() {
        Instant now = Instant.ofEpochSecond(1234567890);
        long step = Totp.step(now);
        assertThat(Totp.verify(SECRET, Totp.code(SECRET, step - 1), now, 0)).hasValue(step - 1);
        assertThat(Totp.verify(SECRET, Totp.code(SECRET, step + 1), now, 0)).hasValue(step + 1);
        assertThat(Totp.verify(SECRET, Totp.code(SECRET, step - 2), now, 0)).isEmpty();
        assertThat(Totp.verify(SECRET, Totp.code(SECRET, step), now, step)).as("a code already used").isEmpty();
        assertThat(Totp.verify(SECRET, "12345", now, 0)).isEmpty();
        assertThat(Totp.verify(SECRET, null, now, 0)).isEmpty();
    }

    @Test
    void base32RoundTrip() {
        byte[] bytes = {0, 1, 2, (byte) 0xff, 42, 7, 9};
        assertThat(Base32.decode(Base32.encode(bytes))).isEqualTo(bytes);
    }
}
