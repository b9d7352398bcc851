package fr.mssante.operator.extensions.imap;

import java.util.Optional;

/**
 * Reads the framing of one IMAP command (RFC 3501 §4.3, RFC 7888) without parsing it: its lines, the literals they
 * announce ({@code {n}} or {@code {n+}} just before CRLF), quoted strings, parentheses and OR/NOT keys. It runs
 * before James's decoder on every chunk of a command that has not been fully received, and refuses a command
 * <em>before</em> James answers a literal with a {@code +} continuation or allocates anything for it:
 * <ul>
 *   <li>a literal (or the literals of one command together) larger than the limit of the session's state;</li>
 *   <li>more than {@link ImapInputLimits#maxLiterals()} literals;</li>
 *   <li>a line longer than {@link ImapInputLimits#maxLineLength()} outside literals (the framer only sees the first
 *       line of a command; the rest, after a literal, used to accumulate without bound);</li>
 *   <li>more than {@link ImapInputLimits#maxNesting()} opening parentheses or OR/NOT keys (James's parsers recurse
 *       on each: a deep list ended in a StackOverflowError on the I/O thread).</li>
 * </ul>
 * Literal contents are skipped, never scanned, so the cost of a scan is the size of the command's lines.
 */
public final class ImapCommandScanner {
    /** What to do with the bytes received so far of one command. */
    public sealed interface Verdict permits Proceed, Refuse {
    }

    /** Let James decode (it may still wait for more data). */
    public record Proceed() implements Verdict {
    }

    /**
     * Refuse the command with a tagged BAD.
     *
     * @param tag       the command's tag, or {@code *} when it has none yet
     * @param code      the response code (TOOBIG, LIMIT, PARSE)
     * @param text      human-readable reason
     * @param resumable the client will not send more of this command (a synchronising literal waits for our "+",
     *                  or the command line is complete): the connection can go on; otherwise it must be closed
     */
    public record Refuse(String tag, String code, String text, boolean resumable) implements Verdict {
    }

    /** Random access to the bytes received (a Netty buffer, an array in tests). */
    @FunctionalInterface
    public interface Bytes {
        byte at(int index);

        static Bytes of(byte[] array) {
            return index -> array[index];
        }
    }

    private static final Proceed PROCEED = new Proceed();

    private ImapCommandScanner() {
    }

    /**
     * @param buffer        the bytes of the command received so far, from its first byte
     * @param length        how many of them
     * @param authenticated whether the session is authenticated (the larger literal limit applies)
     */
    public static Verdict scan(Bytes buffer, int length, boolean authenticated, ImapInputLimits limits) {
        long literalLimit = authenticated ? limits.authenticatedLiteralSize() : limits.unauthenticatedLiteralSize();
        String tag = tag(buffer, length);
        long literalTotal = 0;
        int literals = 0;
        int nesting = 0;
        int position = 0;
        while (position < length) {
            int lineEnd = indexOf(buffer, (byte) '\n', position, length);
            int lineLength = (lineEnd < 0 ? length : lineEnd) - position;
            if (lineLength > limits.maxLineLength()) {
                return new Refuse(tag, "LIMIT", "Command line too long (limit " + limits.maxLineLength() + " octets)", false);
            }
            nesting += nesting(buffer, position, lineEnd < 0 ? length : lineEnd);
            if (nesting > limits.maxNesting()) {
                return new Refuse(tag, "LIMIT", "Command nested too deeply (limit " + limits.maxNesting()
                    + " parenthesised lists and OR/NOT keys)", lineEnd >= 0 && !endsWithLiteral(buffer, position, lineEnd));
            }
            if (lineEnd < 0) {
                return PROCEED;
            }
            Optional<long[]> literal = literal(buffer, position, lineEnd);
            if (literal.isEmpty()) {
                return PROCEED; // the command ends with this line
            }
            long size = literal.get()[0];
            boolean synchronising = literal.get()[1] == 0;
            literals++;
            literalTotal += size;
            if (literals > limits.maxLiterals()) {
                return new Refuse(tag, "LIMIT", "Too many literals (limit " + limits.maxLiterals() + ")", synchronising);
            }
            if (literalTotal > literalLimit) {
                return new Refuse(tag, "TOOBIG", "Literal too large (limit " + literalLimit + " octets"
                    + (authenticated ? "" : " before authentication") + ")", synchronising);
            }
            long next = (long) lineEnd + 1 + size;
            if (next >= length) {
                return PROCEED; // James waits for (or reads) the literal
            }
            position = (int) next;
        }
        return PROCEED;
    }

    /** The tag: the first atom of the command, if it is one. */
    static String tag(Bytes buffer, int length) {
        int end = 0;
        while (end < length && end < 64 && buffer.at(end) > ' ' && buffer.at(end) < 127 && buffer.at(end) != '{' && buffer.at(end) != '(') {
            end++;
        }
        if (end == 0 || end >= length || buffer.at(end) != ' ') {
            return "*";
        }
        StringBuilder tag = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            tag.append((char) buffer.at(i));
        }
        return tag.toString();
    }

    /** {@code {digits}} or {@code {digits+}} right before CR LF (or LF): {size, nonSynchronising ? 1 : 0}. */
    static Optional<long[]> literal(Bytes buffer, int start, int lineEnd) {
        int end = lineEnd;
        if (end > start && buffer.at(end - 1) == '\r') {
            end--;
        }
        if (end <= start || buffer.at(end - 1) != '}') {
            return Optional.empty();
        }
        int close = end - 1;
        int digitsEnd = close;
        boolean nonSynchronising = false;
        if (digitsEnd > start && buffer.at(digitsEnd - 1) == '+') {
            nonSynchronising = true;
            digitsEnd--;
        }
        int digitsStart = digitsEnd;
        while (digitsStart > start && buffer.at(digitsStart - 1) >= '0' && buffer.at(digitsStart - 1) <= '9') {
            digitsStart--;
        }
        if (digitsStart == digitsEnd || digitsStart == start || buffer.at(digitsStart - 1) != '{') {
            return Optional.empty();
        }
        long size = 0;
        for (int i = digitsStart; i < digitsEnd; i++) {
            size = size * 10 + (buffer.at(i) - '0');
            if (size > Integer.MAX_VALUE) {
                size = Long.MAX_VALUE / 4; // absurd: refused by any limit
                break;
            }
        }
        return Optional.of(new long[] {size, nonSynchronising ? 1 : 0});
    }

    private static boolean endsWithLiteral(Bytes buffer, int start, int lineEnd) {
        return literal(buffer, start, lineEnd).isPresent();
    }

    /** Opening parentheses and OR/NOT atoms of one line, outside quoted strings. */
    static int nesting(Bytes buffer, int start, int end) {
        int count = 0;
        boolean quoted = false;
        for (int i = start; i < end; i++) {
            byte b = buffer.at(i);
            if (quoted) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    quoted = false;
                }
            } else if (b == '"') {
                quoted = true;
            } else if (b == '(') {
                count++;
            } else if ((b == 'O' || b == 'o' || b == 'N' || b == 'n') && atomStart(buffer, start, i)) {
                if (isWord(buffer, i, end, "OR") || isWord(buffer, i, end, "NOT")) {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean atomStart(Bytes buffer, int start, int i) {
        return i == start || buffer.at(i - 1) == ' ' || buffer.at(i - 1) == '(';
    }

    private static boolean isWord(Bytes buffer, int i, int end, String word) {
        int n = word.length();
        if (i + n > end) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (Character.toUpperCase((char) buffer.at(i + k)) != word.charAt(k)) {
                return false;
            }
        }
        return i + n == end || buffer.at(i + n) == ' ' || buffer.at(i + n) == '(' || buffer.at(i + n) == ')'
            || buffer.at(i + n) == '\r' || buffer.at(i + n) == '\n';
    }

    private static int indexOf(Bytes buffer, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer.at(i) == value) {
                return i;
            }
        }
        return -1;
    }
}
