package fr.mssante.operator.directory.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * One data line being parsed: the trimmed byte range of each file column (none when empty) and the values of the
 * columns derived from it. A file column is decoded only when read, so that most fields go to COPY as raw bytes.
 * Reused from line to line.
 */
final class RawRow {

    private static final byte[] NULL = {'\\', 'N'};

    private final Map<String, Integer> index;
    private final int fileColumns;
    private final int[] from;
    private final int[] to;
    private final String[] values;
    private final boolean[] decoded;
    private byte[] buffer;
    private byte[] out = new byte[4096];
    private int outLength;

    RawRow(Dataset dataset) {
        this.index = dataset.storedIndex();
        this.fileColumns = dataset.columns().size();
        int stored = dataset.storedColumns().size();
        this.from = new int[fileColumns];
        this.to = new int[fileColumns];
        this.values = new String[stored];
        this.decoded = new boolean[fileColumns];
    }

    void reset(byte[] lineBuffer) {
        // derived columns are all set by Dataset.derive and the parser; file columns are decoded again on demand
        this.buffer = lineBuffer;
        Arrays.fill(decoded, false);
    }

    /** Sets file column {@code c} to the bytes [start, end[ trimmed of spaces and control characters. */
    void setField(int c, int start, int end) {
        while (start < end && (buffer[start] & 0xFF) <= ' ') {
            start++;
        }
        while (end > start && (buffer[end - 1] & 0xFF) <= ' ') {
            end--;
        }
        from[c] = start < end ? start : -1;
        to[c] = end;
    }

    void setAbsent(int c) {
        from[c] = -1;
    }

    /** The value of a stored column: null when empty. */
    String get(String column) {
        return get(index.get(column));
    }

    String get(int c) {
        if (c < fileColumns && !decoded[c]) {
            values[c] = from[c] < 0 ? null : new String(buffer, from[c], to[c] - from[c], StandardCharsets.UTF_8);
            decoded[c] = true;
        }
        return values[c];
    }

    /** Sets a derived column. */
    void set(String column, String value) {
        values[index.get(column)] = value;
    }

    void set(int c, String value) {
        values[c] = value;
    }

    String[] toStrings() {
        String[] row = new String[values.length];
        for (int c = 0; c < row.length; c++) {
            row[c] = get(c);
        }
        return row;
    }

    /** Encodes the row as a COPY text line; see {@link CopyLineSink}. Valid until the next call. */
    void encodeCopy() {
        outLength = 0;
        for (int c = 0; c < values.length; c++) {
            if (c > 0) {
                put((byte) '\t');
            }
            if (c < fileColumns && !decoded[c]) {
                if (from[c] < 0) {
                    put(NULL);
                } else {
                    putEscaped(buffer, from[c], to[c]);
                }
            } else if (values[c] == null) {
                put(NULL);
            } else {
                putEscaped(values[c]);
            }
        }
        put((byte) '\n');
    }

    byte[] encoded() {
        return out;
    }

    int encodedLength() {
        return outLength;
    }

    private void putEscaped(byte[] bytes, int start, int end) {
        ensure((end - start) * 2);
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            switch (b) {
                case '\\' -> { out[outLength++] = '\\'; out[outLength++] = '\\'; }
                case '\t' -> { out[outLength++] = '\\'; out[outLength++] = 't'; }
                case '\n' -> { out[outLength++] = '\\'; out[outLength++] = 'n'; }
                case '\r' -> { out[outLength++] = '\\'; out[outLength++] = 'r'; }
                default -> out[outLength++] = b;
            }
        }
    }

    private void putEscaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                putEscaped(bytes, 0, bytes.length);
                return;
            }
        }
        ensure(s.length() * 2);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> { out[outLength++] = '\\'; out[outLength++] = '\\'; }
                case '\t' -> { out[outLength++] = '\\'; out[outLength++] = 't'; }
                case '\n' -> { out[outLength++] = '\\'; out[outLength++] = 'n'; }
                case '\r' -> { out[outLength++] = '\\'; out[outLength++] = 'r'; }
                default -> out[outLength++] = (byte) ch;
            }
        }
    }

    private void put(byte b) {
        ensure(1);
        out[outLength++] = b;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, out, outLength, bytes.length);
        outLength += bytes.length;
    }

    private void ensure(int extra) {
        if (outLength + extra > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLength + extra));
        }
    }
}
