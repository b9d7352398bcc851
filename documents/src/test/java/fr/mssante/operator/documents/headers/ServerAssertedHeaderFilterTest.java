package fr.mssante.operator.documents.headers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ServerAssertedHeaderFilterTest {
    private static ServerAssertedHeaderFilter.Header read(String message) throws IOException {
        return ServerAssertedHeaderFilter.read(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void removesEveryServerFieldWithItsFoldedLinesWhateverTheCase() throws IOException {
        String message = "Received: from a\r\n\tby b\r\nX-MSS-SMIME-Status: good\r\nx-mss-kind: PER\r\n"
            + "X-Mss-Signer: CN=x,\r\n O=y\r\nSubject: s\r\n\r\nX-MSS-Body: not a header\r\n";
        ServerAssertedHeaderFilter.Header header = read(message);
        assertThat(header.removed()).containsExactly("X-MSS-SMIME-Status", "x-mss-kind", "X-Mss-Signer");
        assertThat(new String(header.filtered(), StandardCharsets.US_ASCII))
            .isEqualTo("Received: from a\r\n\tby b\r\nSubject: s\r\n\r\n");
        assertThat(header.length()).isEqualTo(message.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void leavesTheStreamAtTheBodyAndKeepsOtherFieldsAndBareLineFeeds() throws IOException {
        InputStream in = new ByteArrayInputStream("X-Mailer: m\nX-MSSANTE: not ours\n\nbody\n".getBytes(StandardCharsets.US_ASCII));
        ServerAssertedHeaderFilter.Header header = ServerAssertedHeaderFilter.read(in);
        assertThat(header.changed()).isFalse();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("body\n");
    }

    @Test
    void aMessageWithoutBodyIsAllHeader() throws IOException {
        ServerAssertedHeaderFilter.Header header = read("Subject: s\r\nX-MSS-A: 1");
        assertThat(header.removed()).containsExactly("X-MSS-A");
        assertThat(header.length()).isEqualTo("Subject: s\r\nX-MSS-A: 1".length());
        assertThat(new String(header.filtered(), StandardCharsets.US_ASCII)).isEqualTo("Subject: s\r\n");
    }
}
