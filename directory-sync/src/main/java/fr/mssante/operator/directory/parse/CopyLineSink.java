package fr.mssante.operator.directory.parse;

import java.io.IOException;

/**
 * Receives each accepted row already encoded as one line of PostgreSQL {@code COPY ... FROM STDIN} text format
 * (tab-separated, {@code \N} for NULL, backslash escapes, ending with '\n'), in {@link Dataset#storedColumns()} order.
 * The bytes are only valid during the call.
 */
@FunctionalInterface
public interface CopyLineSink {

    void accept(byte[] line, int offset, int length) throws IOException;
}
