package fr.mssante.operator.directory.source;

/**
 * Bounds of a directory download ({@link SourceOpener}).
 *
 * @param maxBytes     bytes accepted (announced by {@code Content-Length} or received); beyond, the download is stopped
 *                     and refused; default 1 GiB (the ANS MSSanté extraction is about 20 MB zipped)
 * @param maxRedirects redirects followed, each only to the same scheme, host and port; default 5 (0: none)
 */
public record DownloadLimits(long maxBytes, int maxRedirects) {
    public static final DownloadLimits DEFAULT = new DownloadLimits(1L << 30, 5);

    public DownloadLimits {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the download cap must be at least 1 byte, got " + maxBytes);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative, got " + maxRedirects);
        }
    }
}
