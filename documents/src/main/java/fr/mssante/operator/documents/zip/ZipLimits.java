package fr.mssante.operator.documents.zip;

/**
 * Bounds of {@link SafeUnzipper}. Sizes are measured while inflating, never taken from the zip headers.
 *
 * @param maxEntries      entries (files and folders) accepted; default 1,000
 * @param maxTotalBytes   uncompressed bytes of all entries together; default 100 MiB
 * @param maxEntryBytes   uncompressed bytes of one entry; default 50 MiB
 * @param maxRatio        uncompressed ÷ compressed bytes of one entry; default 100 (100:1)
 * @param ratioGraceBytes an entry may inflate this much before the ratio is enforced, so that tiny, very regular files
 *                        (a blank line repeated) pass; default 1 MiB
 * @param maxNameLength   characters in an entry name; default 512
 */
public record ZipLimits(int maxEntries, long maxTotalBytes, long maxEntryBytes, int maxRatio, long ratioGraceBytes,
                        int maxNameLength) {
    public static final ZipLimits DEFAULT = new ZipLimits(1_000, 100L * 1024 * 1024, 50L * 1024 * 1024, 100, 1024 * 1024, 512);

    public ZipLimits {
        if (maxEntries < 1 || maxTotalBytes < 1 || maxEntryBytes < 1 || maxRatio < 1 || ratioGraceBytes < 0 || maxNameLength < 1) {
            throw new IllegalArgumentException("zip limits must be positive");
        }
    }

    public ZipLimits withMaxEntries(int value) {
        return new ZipLimits(value, maxTotalBytes, maxEntryBytes, maxRatio, ratioGraceBytes, maxNameLength);
    }

    public ZipLimits withMaxTotalBytes(long value) {
        return new ZipLimits(maxEntries, value, maxEntryBytes, maxRatio, ratioGraceBytes, maxNameLength);
    }

    public ZipLimits withMaxEntryBytes(long value) {
        return new ZipLimits(maxEntries, maxTotalBytes, value, maxRatio, ratioGraceBytes, maxNameLength);
    }
}
