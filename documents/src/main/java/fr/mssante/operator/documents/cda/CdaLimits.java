package fr.mssante.operator.documents.cda;

/**
 * Bounds of {@link CdaParser}.
 *
 * @param maxDepth         deepest element nesting (header and body)
 * @param maxHeaderElements elements kept from the header (everything but {@code component})
 * @param maxHeaderChars   characters of header text
 * @param maxPdfChars      base64 characters of all embedded PDFs together
 */
public record CdaLimits(int maxDepth, int maxHeaderElements, long maxHeaderChars, long maxPdfChars) {
    public static final CdaLimits DEFAULT = new CdaLimits(256, 50_000, 4L * 1024 * 1024, 140L * 1024 * 1024);

    public CdaLimits {
        if (maxDepth < 2 || maxHeaderElements < 1 || maxHeaderChars < 0 || maxPdfChars < 0) {
            throw new IllegalArgumentException("CDA limits must be positive");
        }
    }
}
