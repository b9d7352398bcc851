package fr.mssante.operator.directory.parse;

import java.io.IOException;

/** Receives each accepted row, in {@link Dataset#storedColumns()} order (null = empty field). */
@FunctionalInterface
public interface RowSink {

    void accept(String[] row) throws IOException;
}
