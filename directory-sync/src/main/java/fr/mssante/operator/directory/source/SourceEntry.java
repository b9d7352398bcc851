package fr.mssante.operator.directory.source;

import java.io.IOException;
import java.io.InputStream;

/** One text file to import: a plain file or one entry of a zip. {@code size} is -1 when unknown. */
public record SourceEntry(String name, long size, Opener opener) {

    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    public InputStream open() throws IOException {
        return opener.open();
    }
}
