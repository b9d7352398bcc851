package fr.mssante.operator.directory.load;

import fr.mssante.operator.directory.parse.RowSink;
import org.postgresql.copy.CopyIn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/** Streams rows to a {@code COPY ... FROM STDIN} (text format) in 256 KiB chunks. */
final class CopyRowWriter implements RowSink {

    private static final int CHUNK = 1 << 18;
    private final CopyIn copy;
    private final StringBuilder buffer = new StringBuilder(CHUNK + 4096);

    CopyRowWriter(CopyIn copy) {
        this.copy = copy;
    }

    @Override
    public void accept(String[] row) throws IOException {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                buffer.append('\t');
            }
            appendEscaped(buffer, row[i]);
        }
        buffer.append('\n');
        if (buffer.length() >= CHUNK) {
            flush();
        }
    }

    /** Sends the rest and ends the COPY; returns the row count the server reports. */
    long finish() throws IOException {
        flush();
        try {
            return copy.endCopy();
        } catch (SQLException e) {
            throw new IOException("COPY failed: " + e.getMessage(), e);
        }
    }

    void cancel() {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the connection is discarded by the caller's error path anyway
        }
    }

    private void flush() throws IOException {
        if (buffer.length() == 0) {
            return;
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        buffer.setLength(0);
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new IOException("COPY failed: " + e.getMessage(), e);
        }
    }

    static void appendEscaped(StringBuilder out, String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
