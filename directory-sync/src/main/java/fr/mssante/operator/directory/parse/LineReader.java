package fr.mssante.operator.directory.parse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads '\n'-terminated lines as byte ranges of an internal buffer, without decoding them: the import only decodes
 * the few fields it derives columns from and copies the others to COPY as bytes. A "\r\n" ending loses its '\r'. The
 * range is valid until the next call.
 */
final class LineReader {

    private final InputStream in;
    private byte[] buffer = new byte[1 << 20];
    private int position;
    private int limit;
    private boolean eof;

    /** The current line: {@code buffer()[start() .. end()[}. */
    private int start;
    private int end;

    LineReader(InputStream in) {
        this.in = in;
    }

    byte[] buffer() {
        return buffer;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** Moves to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        int scanFrom = position;
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buffer[i] == '\n') {
                    setLine(position, i);
                    position = i + 1;
                    return true;
                }
            }
            if (eof) {
                if (position < limit) {
                    setLine(position, limit);
                    position = limit;
                    return true;
                }
                return false;
            }
            scanFrom = limit - position;
            fill();
            scanFrom += position;
        }
    }

    private void setLine(int from, int to) {
        start = from;
        end = to > from && buffer[to - 1] == '\r' ? to - 1 : to;
    }

    /** Moves the unread bytes to the front (growing the buffer for a very long line) and reads more. */
    private void fill() throws IOException {
        int remaining = limit - position;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, remaining);
        } else if (remaining == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        position = 0;
        limit = remaining;
        int n = in.read(buffer, limit, buffer.length - limit);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }
}
