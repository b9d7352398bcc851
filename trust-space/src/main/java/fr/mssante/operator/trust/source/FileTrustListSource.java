package fr.mssante.operator.trust.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The liste blanche read from a local file (development, or a copy placed by an external job). */
public final class FileTrustListSource implements TrustListSource {
    private final Path file;
    private final long maxBytes;

    public FileTrustListSource(Path file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    @Override
    public FetchedDocument fetch() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new FetchedDocument(Limits.readAtMost(in, maxBytes), file.toString());
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }
}
