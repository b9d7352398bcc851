package fr.mssante.operator.documents.detect;

/**
 * Bounds of {@link AttachmentDetector}.
 *
 * @param maxDepth           multipart nesting followed (deeper parts are reported, not read)
 * @param maxParts           MIME parts visited in one message
 * @param maxAttachmentBytes decoded bytes read from one candidate attachment
 */
public record DetectionLimits(int maxDepth, int maxParts, long maxAttachmentBytes) {
    /** 32 levels, 1,000 parts, 64 MiB (above the 36 MiB SMTP SIZE the server announces). */
    public static final DetectionLimits DEFAULT = new DetectionLimits(32, 1_000, 64L * 1024 * 1024);

    public DetectionLimits {
        if (maxDepth < 1 || maxParts < 1 || maxAttachmentBytes < 1) {
            throw new IllegalArgumentException("detection limits must be positive");
        }
    }
}
