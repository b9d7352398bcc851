package fr.mssante.operator.documents.headers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the top-level header fields of a raw RFC 5322 message whose name starts with the server's own prefix
 * ({@code X-MSS-}; also the default of {@link RemoveServerAssertedHeaders}, which strips them from everything that
 * arrives by SMTP), for the ways a message enters a mailbox without our pipeline (IMAP APPEND, REPLACE): those fields
 * are server verdicts (S/MIME status, directory facts...) that clients trust, so nobody may plant them. James-free:
 * works on bytes, streams the body, keeps every other byte of the message as it was (folded lines, line endings).
 */
public final class ServerAssertedHeaderFilter {
    public static final String PREFIX = "X-MSS-";

    private ServerAssertedHeaderFilter() {
    }

    /**
     * The header section of a message, read from {@code message} (which is left just after it).
     *
     * @param length   bytes of the original header section, including the empty line that ends it (if any)
     * @param filtered the header section without the server-asserted fields
     * @param removed  names of the removed fields, in order
     */
    public record Header(long length, byte[] filtered, List<String> removed) {
        public boolean changed() {
            return !removed.isEmpty();
        }
    }

    /** Reads the header section of {@code message} (up to and including the empty line) and filters it. */
    public static Header read(InputStream message) throws IOException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        List<String> removed = new ArrayList<>();
        long length = 0;
        boolean dropping = false;
        while (true) {
            byte[] line = readLine(message);
            if (line.length == 0) {
                break;
            }
            length += line.length;
            if (isEmptyLine(line)) {
                kept.write(line);
                break;
            }
            boolean continuation = line[0] == ' ' || line[0] == '\t';
            if (!continuation) {
                String name = fieldName(line);
                dropping = name != null && name.toUpperCase(Locale.ROOT).startsWith(PREFIX);
                if (dropping) {
                    removed.add(name);
                }
            }
            if (!dropping) {
                kept.write(line);
            }
        }
        return new Header(length, kept.toByteArray(), List.copyOf(removed));
    }

    private static boolean isEmptyLine(byte[] line) {
        return (line.length == 1 && line[0] == '\n') || (line.length == 2 && line[0] == '\r' && line[1] == '\n');
    }

    private static String fieldName(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            if (line[i] == ':') {
                return new String(line, 0, i, StandardCharsets.US_ASCII).trim();
            }
        }
        return null;
    }

    /** One line including its LF (or what is left at the end of the stream); empty at the end. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toByteArray();
    }
}
