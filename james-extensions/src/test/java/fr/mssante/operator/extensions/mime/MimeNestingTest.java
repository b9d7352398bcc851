package fr.mssante.operator.extensions.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MimeNestingTest {
    /** A message of {@code levels} multiparts, each the only part of its parent. */
    static String nested(int levels) {
        StringBuilder message = new StringBuilder("From: a@example.org\r\nTo: b@example.org\r\nSubject: nested\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < levels; i++) {
            message.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        message.append("Content-Type: text/plain\r\n\r\nhello\r\n");
        for (int i = levels - 1; i >= 0; i--) {
            message.append("--b").append(i).append("--\r\n");
        }
        return message.toString();
    }

    private static int depth(String message, int limit) throws Exception {
        return MimeNesting.depth(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)), limit);
    }

    @Test
    void countsNestedMultiparts() throws Exception {
        assertThat(depth("Subject: x\r\n\r\nplain\r\n", 32)).isZero();
        assertThat(depth(nested(1), 32)).isEqualTo(1);
        assertThat(depth(nested(5), 32)).isEqualTo(5);
    }

    @Test
    void stopsReadingPastTheLimitWithoutRecursing() throws Exception {
        assertThat(depth(nested(2000), 32)).isEqualTo(33);
        assertThat(depth(nested(100_000), 32)).isEqualTo(33);
    }

    @Test
    void embeddedMessagesCount() throws Exception {
        String inner = nested(3);
        String outer = "Subject: outer\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n--o\r\n"
            + "Content-Type: message/rfc822\r\n\r\n" + inner + "\r\n--o--\r\n";
        assertThat(depth(outer, 32)).isEqualTo(5);
    }
}
