package fr.mssante.operator.smime.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.smime.testing.TestMessages;

class MimeEntitiesTest {
    @Test
    void readsADecodedBase64BodyBeyondEightKilobytes() throws Exception {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        MimeMessage message = TestMessages.parse("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(data) + "\r\n");

        assertThat(MimeEntities.readAll(message.getInputStream())).isEqualTo(data);
    }

    @Test
    void firstPartExcludesTheCrlfOfTheNextDelimiter() {
        byte[] body = "preamble\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n\r\n--b\r\nsig\r\n--b--\r\n"
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(MimeEntities.firstPart(body, "b")).hasValueSatisfying(part ->
                assertThat(new String(part, StandardCharsets.US_ASCII)).isEqualTo("Content-Type: text/plain\r\n\r\nhello\r\n"));
    }

    @Test
    void firstPartIgnoresBoundaryLookalikesInsideLines() {
        byte[] body = "--b\r\nx --b y\r\n--bb\r\n--b\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(MimeEntities.firstPart(body, "b")).hasValueSatisfying(part ->
                assertThat(new String(part, StandardCharsets.US_ASCII)).isEqualTo("x --b y\r\n--bb"));
    }

    @Test
    void firstPartOfAnUnterminatedMultipartIsEmpty() {
        assertThat(MimeEntities.firstPart("--b\r\nno end".getBytes(StandardCharsets.US_ASCII), "b")).isEmpty();
    }

    @Test
    void canonicalLineEndings() {
        assertThat(new String(MimeEntities.toCrlf("a\nb\r\nc\rd\n".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII))
                .isEqualTo("a\r\nb\r\nc\r\nd\r\n");
        byte[] canonical = "a\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(MimeEntities.toCrlf(canonical)).isSameAs(canonical);
    }

    @Test
    void withEntityKeepsOuterHeadersAndReplacesTheContent() throws Exception {
        MimeMessage outer = TestMessages.parse("From: a@a.mss.test\r\nSubject: s\r\nContent-Type: text/html\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\n<p>x</p>\r\n");

        MimeMessage result = MimeEntities.withEntity(outer, "Content-Type: text/plain\r\n\r\nplain\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(TestMessages.string(result)).isEqualTo("From: a@a.mss.test\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain\r\n\r\nplain\r\n");
    }

    @Test
    void innerHeadersOtherThanContentAreDropped() throws Exception {
        MimeMessage outer = TestMessages.parse("From: alice@a.mss.test\r\nContent-Type: application/pkcs7-mime\r\n\r\nxx\r\n");
        byte[] inner = ("From: ceo@a.mss.test\r\nX-MSS-SMIME-Status: good\r\nContent-Type: text/plain\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);

        MimeMessage result = MimeEntities.withEntity(outer, inner);

        assertThat(result.getHeader("From")).containsExactly("alice@a.mss.test");
        assertThat(result.getHeader("X-MSS-SMIME-Status")).isNull();
        assertThat(result.getContent()).isEqualTo("body\r\n");
    }

    @Test
    void fromAddressesAreLowerCasedAndMissingFromGivesNone() {
        assertThat(MimeEntities.fromAddresses(TestMessages.parse("From: \"A\" <Alice@A.mss.test>, b@b.mss.test\r\n\r\n")))
                .containsExactly("alice@a.mss.test", "b@b.mss.test");
        assertThat(MimeEntities.fromAddresses(TestMessages.parse("Subject: no sender\r\n\r\n"))).isEmpty();
        assertThat(MimeEntities.fromAddresses(TestMessages.parse("From: \"unterminated <a@b\r\n\r\n"))).doesNotContain("a@b");
    }
}
