package fr.mssante.operator.extensions.imap;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.List;

import org.apache.james.imap.message.Literal;

import fr.mssante.operator.documents.headers.ServerAssertedHeaderFilter;

/**
 * An APPEND literal without its {@code X-MSS-*} header fields: the filtered header section (kept in memory), then the
 * original body streamed. The original literal (memory or temporary file) is closed with this one.
 */
final class ServerHeaderFreeLiteral implements Literal, Closeable {
    private final Literal original;
    private final ServerAssertedHeaderFilter.Header header;

    private ServerHeaderFreeLiteral(Literal original, ServerAssertedHeaderFilter.Header header) {
        this.original = original;
        this.header = header;
    }

    /** The names of the server-asserted fields the literal carries, and the literal without them (or the original). */
    record Result(Literal literal, List<String> removed) {
    }

    static Result of(Literal original) throws IOException {
        ServerAssertedHeaderFilter.Header header;
        try (InputStream in = new BufferedInputStream(original.getInputStream())) {
            header = ServerAssertedHeaderFilter.read(in);
        }
        if (!header.changed()) {
            return new Result(original, List.of());
        }
        return new Result(new ServerHeaderFreeLiteral(original, header), header.removed());
    }

    @Override
    public long size() throws IOException {
        return original.size() - header.length() + header.filtered().length;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        InputStream body = original.getInputStream();
        body.skipNBytes(header.length());
        return new SequenceInputStream(new ByteArrayInputStream(header.filtered()), body);
    }

    @Override
    public void close() throws IOException {
        if (original instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
