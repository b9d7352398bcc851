package fr.mssante.operator.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class SearchableTextTest {
    private static SearchableText read(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        int split = message.indexOf("\r\n\r\n") + 4;
        byte[] header = java.util.Arrays.copyOf(bytes, split);
        byte[] body = java.util.Arrays.copyOfRange(bytes, split, bytes.length);
        return SearchableText.of(header, body);
    }

    @Test
    void decodesBase64AndQuotedPrintableTextPartsButNotBinaryAttachments() {
        String utf8Base64 = Base64.getMimeEncoder().encodeToString("Glycémie normale".getBytes(StandardCharsets.UTF_8));
        String pdf = Base64.getMimeEncoder().encodeToString("%PDF-1.4 secretpdfword".getBytes(StandardCharsets.US_ASCII));
        SearchableText text = read("Subject: =?UTF-8?Q?R=C3=A9sultat_d'analyse?=\r\nFrom: labo@demo.mss.test\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + utf8Base64 + "\r\n"
            + "--b\r\nContent-Type: text/html; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "<p>H=E9moglo=\r\nbine</p>\r\n"
            + "--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" + pdf + "\r\n--b--\r\n");

        assertThat(text.headers()).contains("subject: résultat d'analyse").contains("from: labo@demo.mss.test");
        assertThat(text.body()).contains("glycémie normale").contains("<p>hémoglobine</p>").doesNotContain("secretpdfword");
    }

    @Test
    void foldsEachCharacterOnItsOwnAndNeverProducesTheSeparator() {
        assertThat(SearchableText.fold("STRAẞE Σοφίας İ ı")).isEqualTo(SearchableText.fold("straße σοφίασ i i"));
        assertThat(SearchableText.fold("a\u0000b\u0001c")).isEqualTo("a\uFFFDb\uFFFDc");
    }

    @Test
    void fieldsAndPartsAreSeparatedSoThatATermCannotSpanTwo() {
        SearchableText text = read("Subject: alpha\r\nTo: beta@x\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--b--\r\n");
        assertThat(text.headers().split(String.valueOf(SearchableText.SEPARATOR))).contains("subject: alpha", "to: beta@x");
        assertThat(text.body()).contains(SearchableText.SEPARATOR + "second");
    }

    @Test
    void aMessageMimeCannotReadIsSearchedAsItsRawText() {
        SearchableText text = SearchableText.of("Subject: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            "plain words".getBytes(StandardCharsets.US_ASCII));
        assertThat(text.body()).contains("plain words");
        assertThat(MessageTextIndex.escapeLike("100%_a\\b")).isEqualTo("100\\%\\_a\\\\b");
    }
}
