package fr.mssante.operator.smime.testing;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import javax.mail.internet.MimeMessage;

import fr.mssante.operator.smime.mime.MimeEntities;

public final class TestMessages {
    private TestMessages() {
    }

    public static MimeMessage text(String from, String to, String body) {
        return parse("From: " + from + "\r\nTo: " + to + "\r\nSubject: test\r\nMessage-ID: <t1@mss.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + body);
    }

    public static MimeMessage multipart(String from, String to) {
        return parse("From: " + from + "\r\nTo: " + to + "\r\nSubject: multipart\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello,\r\nsee attached.\r\n--b1\r\n"
                + "Content-Type: application/pdf; name=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "JVBERi0xLjQKJcfsj6IK\r\n--b1--\r\n");
    }

    /** A text message of about {@code size} bytes (printable lines of 76 characters). */
    public static MimeMessage sized(String from, String to, int size) {
        StringBuilder body = new StringBuilder(size + 100);
        Random random = new Random(42);
        while (body.length() < size) {
            for (int i = 0; i < 76; i++) {
                body.append((char) ('a' + random.nextInt(26)));
            }
            body.append("\r\n");
        }
        return text(from, to, body.toString());
    }

    public static MimeMessage parse(String raw) {
        try {
            return MimeEntities.parse(raw.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(MimeMessage message) {
        try {
            return MimeEntities.toBytes(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serialise and parse again, as a message crossing a queue or SMTP would. */
    public static MimeMessage roundTrip(MimeMessage message) {
        try {
            return MimeEntities.parse(bytes(message));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String string(MimeMessage message) {
        return new String(bytes(message), StandardCharsets.UTF_8);
    }
}
