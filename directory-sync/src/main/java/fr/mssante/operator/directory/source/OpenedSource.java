package fr.mssante.operator.directory.source;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

/** The text files of a source, open until {@link #close()} (which also deletes a downloaded copy). */
public final class OpenedSource implements Closeable {

    private final String name;
    private final List<SourceEntry> entries;
    private final ZipFile zip;
    private final Path downloaded;

    OpenedSource(String name, List<SourceEntry> entries, ZipFile zip, Path downloaded) {
        this.name = name;
        this.entries = entries;
        this.zip = zip;
        this.downloaded = downloaded;
    }

    /** File name (the server's Content-Disposition name for a download). */
    public String name() {
        return name;
    }

    public List<SourceEntry> entries() {
        return entries;
    }

    @Override
    public void close() throws IOException {
        try {
            if (zip != null) {
                zip.close();
            }
        } finally {
            if (downloaded != null) {
                Files.deleteIfExists(downloaded);
            }
        }
    }
}
