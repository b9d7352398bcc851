package fr.mssante.operator.smime.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import javax.mail.Address;
import javax.mail.Header;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.InternetHeaders;
import javax.mail.internet.MimeMessage;
import javax.mail.util.SharedByteArrayInputStream;

/**
 * Byte-level helpers on MIME entities. S/MIME signs bytes, so we never let javax.mail re-encode a part we sign or
 * verify: entities are cut out of, and assembled from, raw bytes.
 */
public final class MimeEntities {
    public static final Session SESSION = Session.getInstance(new Properties());
    private static final byte[] CRLF = {'\r', '\n'};

    private MimeEntities() {
    }

    /**
     * Reads a stream to its end. Not {@code InputStream.readAllBytes()}: javax.mail's decoder streams answer -1 to a
     * zero-length read, which stops the JDK method after its first 8 KiB buffer.
     */
    public static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(in.available(), 8192));
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) != -1) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    public static MimeMessage parse(byte[] bytes) throws MessagingException {
        // a shared stream: the body is not copied, and getRawInputStream() is a view on the array
        return new MimeMessage(SESSION, new SharedByteArrayInputStream(bytes));
    }

    public static byte[] toBytes(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /** The message body as a stand-alone MIME entity: its Content-* header lines, a blank line, the raw body. */
    public static byte[] contentEntity(MimeMessage original) throws IOException, MessagingException {
        MimeMessage message = parsed(original);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> names = contentHeaderNames(message);
        if (message.getHeader("Content-Type") == null) {
            writeLine(out, "Content-Type: text/plain; charset=us-ascii");
        }
        for (String line : Collections.list(lines(message.getMatchingHeaderLines(names.toArray(String[]::new))))) {
            writeLine(out, line);
        }
        out.write(CRLF);
        out.write(readAll(message.getRawInputStream()));
        return toCrlf(out.toByteArray());
    }

    /**
     * The message as parsed bytes: a message built in memory (setText, setContent…) has no raw content stream until it
     * is written out, so it is written and read back once.
     */
    static MimeMessage parsed(MimeMessage message) throws IOException, MessagingException {
        try {
            message.getRawInputStream().close();
            return message;
        } catch (MessagingException notParsed) {
            message.saveChanges();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            message.writeTo(bytes);
            return new MimeMessage(message.getSession(), new ByteArrayInputStream(bytes.toByteArray()));
        }
    }

    /**
     * A new message keeping the outer headers of {@code outer} except its Content-* ones, followed by {@code entity}
     * (a MIME entity: its own headers, a blank line, its body). Only the Content-* headers of the entity are kept:
     * signed or encrypted content cannot smuggle a From or an X-MSS-* header into the outer message.
     */
    public static MimeMessage withEntity(MimeMessage outer, byte[] entity) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entity.length + 4096);
        List<String> names = contentHeaderNames(outer);
        boolean mimeVersion = false;
        for (String line : Collections.list(lines(outer.getNonMatchingHeaderLines(names.toArray(String[]::new))))) {
            mimeVersion |= line.regionMatches(true, 0, "MIME-Version:", 0, 13);
            writeLine(out, line);
        }
        if (!mimeVersion) {
            writeLine(out, "MIME-Version: 1.0");
        }
        SharedByteArrayInputStream in = new SharedByteArrayInputStream(entity);
        InternetHeaders inner = new InternetHeaders(in);
        int bodyStart = (int) in.getPosition();
        for (String line : Collections.list(lines(inner.getAllHeaderLines()))) {
            if (line.regionMatches(true, 0, "Content-", 0, 8)) {
                writeLine(out, line);
            }
        }
        out.write(CRLF);
        out.write(entity, bodyStart, entity.length - bodyStart);
        return parse(out.toByteArray());
    }

    /** Canonical line endings: every bare LF (and bare CR) becomes CRLF. */
    public static byte[] toCrlf(byte[] in) {
        int extra = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                extra++;
            } else if (in[i] == '\r' && (i + 1 == in.length || in[i + 1] != '\n')) {
                extra++;
            }
        }
        if (extra == 0) {
            return in;
        }
        byte[] out = new byte[in.length + extra];
        int o = 0;
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\r') {
                out[o++] = '\r';
                out[o++] = '\n';
                if (i + 1 < in.length && in[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out[o++] = '\r';
                out[o++] = '\n';
            } else {
                out[o++] = b;
            }
        }
        return out;
    }

    /**
     * The first body part of a multipart body, exactly as transmitted (headers and content, without the CRLF that
     * belongs to the next delimiter), or empty when the delimiters cannot be found.
     */
    public static Optional<byte[]> firstPart(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int start = findDelimiter(body, delimiter, 0);
        if (start < 0) {
            return Optional.empty();
        }
        int contentStart = endOfLine(body, start + delimiter.length);
        if (contentStart < 0) {
            return Optional.empty();
        }
        int next = findDelimiter(body, delimiter, contentStart);
        if (next < 0) {
            return Optional.empty();
        }
        int end = next;
        if (end > contentStart && body[end - 1] == '\n') {
            end--;
            if (end > contentStart && body[end - 1] == '\r') {
                end--;
            }
        }
        byte[] part = new byte[end - contentStart];
        System.arraycopy(body, contentStart, part, 0, part.length);
        return Optional.of(part);
    }

    /** Lower-cased addresses of the From header; empty when absent or unparsable. */
    public static List<String> fromAddresses(MimeMessage message) {
        List<String> result = new ArrayList<>();
        try {
            String[] raw = message.getHeader("From");
            if (raw == null) {
                return result;
            }
            for (String value : raw) {
                for (Address address : InternetAddress.parseHeader(value, false)) {
                    if (address instanceof InternetAddress ia && ia.getAddress() != null) {
                        result.add(ia.getAddress().trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (MessagingException | RuntimeException e) {
            result.clear();
        }
        return result;
    }

    private static int findDelimiter(byte[] body, byte[] delimiter, int from) {
        for (int i = from; i <= body.length - delimiter.length; i++) {
            boolean atLineStart = i == 0 || body[i - 1] == '\n';
            if (atLineStart && regionEquals(body, i, delimiter)) {
                int after = i + delimiter.length;
                if (after == body.length || body[after] == '\r' || body[after] == '\n' || body[after] == ' '
                        || body[after] == '\t' || body[after] == '-') {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int endOfLine(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    private static boolean regionEquals(byte[] body, int offset, byte[] expected) {
        for (int j = 0; j < expected.length; j++) {
            if (body[offset + j] != expected[j]) {
                return false;
            }
        }
        return true;
    }

    private static List<String> contentHeaderNames(MimeMessage message) throws MessagingException {
        List<String> names = new ArrayList<>();
        for (Header header : Collections.list(message.getAllHeaders())) {
            if (header.getName().toLowerCase(Locale.ROOT).startsWith("content-")) {
                names.add(header.getName());
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Enumeration<String> lines(Enumeration<?> raw) {
        return (Enumeration<String>) raw;
    }

    private static void writeLine(ByteArrayOutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write(CRLF);
    }
}
