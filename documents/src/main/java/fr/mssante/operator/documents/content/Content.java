package fr.mssante.operator.documents.content;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Immutable bytes of an attachment, an archive entry or an embedded PDF. Never printed: {@link #toString()} gives the
 * size only, so a content can be logged by mistake without leaking health data.
 */
public final class Content {
    private static final Content EMPTY = new Content(new byte[0]);

    private final byte[] bytes;

    private Content(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static Content copyOf(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Content(bytes.clone());
    }

    /** Takes ownership of {@code bytes}: the caller must not modify the array afterwards. */
    public static Content owning(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Content(bytes);
    }

    public static Content empty() {
        return EMPTY;
    }

    /**
     * Reads {@code in} to its end, refusing more than {@code maxBytes}.
     *
     * @throws TooLargeException as soon as more than {@code maxBytes} were read (the rest is not read)
     */
    public static Content read(InputStream in, long maxBytes) throws IOException, TooLargeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > maxBytes) {
                throw new TooLargeException(maxBytes);
            }
            out.write(buffer, 0, n);
        }
        return owning(out.toByteArray());
    }

    public int size() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    public InputStream openStream() {
        return new ByteArrayInputStream(bytes);
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    public boolean startsWith(byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The first {@code n} bytes (or fewer). */
    public byte[] head(int n) {
        return Arrays.copyOf(bytes, Math.min(n, bytes.length));
    }

    public String sha1Hex() {
        return digest("SHA-1");
    }

    public String sha256Hex() {
        return digest("SHA-256");
    }

    private String digest(String algorithm) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is mandatory in every JDK", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Content content && Arrays.equals(bytes, content.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Content[" + bytes.length + " bytes]";
    }

    /** More bytes than allowed. */
    public static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        private final long limit;

        public TooLargeException(long limit) {
            super("more than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
