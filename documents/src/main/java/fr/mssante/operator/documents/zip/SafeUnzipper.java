package fr.mssante.operator.documents.zip;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.documents.content.Content;

/**
 * Unzips an archive received by mail, in memory, refusing anything unsafe with a {@link ZipRejectedException}:
 * <ul>
 *   <li>entry count (checked against the central directory before inflating, then while streaming);</li>
 *   <li>uncompressed size per entry and in total, and the compression ratio per entry, all measured on the bytes
 *       actually inflated and read (header sizes are never trusted);</li>
 *   <li>names: no {@code ..}, absolute paths, backslashes, drive letters, control characters, empty segments,
 *       duplicates (ignoring case);</li>
 *   <li>the central directory must list exactly the streamed entries (no hidden or overlapping entries);</li>
 *   <li>encrypted, truncated and malformed archives.</li>
 * </ul>
 * Nested archives are kept as bytes and flagged, never expanded. Nothing is written to disk. No runtime exception
 * escapes {@link #unzip}.
 */
public final class SafeUnzipper {
    private static final Logger LOG = LoggerFactory.getLogger(SafeUnzipper.class);
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final ZipLimits limits;

    public SafeUnzipper(ZipLimits limits) {
        this.limits = limits;
    }

    public SafeUnzipper() {
        this(ZipLimits.DEFAULT);
    }

    public ZipLimits limits() {
        return limits;
    }

    public UnzippedArchive unzip(Content archive) throws ZipRejectedException {
        try {
            return unzipChecked(archive);
        } catch (ZipRejectedException e) {
            LOG.debug("archive of {} bytes refused: {}", archive.size(), e.reason());
            throw e;
        } catch (RuntimeException e) {
            throw new ZipRejectedException(ZipRejection.MALFORMED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private UnzippedArchive unzipChecked(Content archive) throws ZipRejectedException {
        byte[] zip = archive.toByteArray();
        CentralDirectory directory = CentralDirectory.read(zip, limits);
        List<ArchiveEntry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long total = 0;
        CountingInputStream counting = new CountingInputStream(archive.openStream());
        byte[] buffer = new byte[8192];
        try (ZipInputStream in = new ZipInputStream(counting, StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entries.size() >= limits.maxEntries()) {
                    throw new ZipRejectedException(ZipRejection.TOO_MANY_ENTRIES, "more than " + limits.maxEntries() + " entries");
                }
                String name = entry.getName();
                checkName(name);
                String key = stripSlash(name).toLowerCase(Locale.ROOT);
                if (!seen.add(key)) {
                    throw new ZipRejectedException(ZipRejection.DUPLICATE_ENTRY, "two entries named '" + name + "' (ignoring case)");
                }
                long compressedStart = counting.count();
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                long inflated = 0;
                int n;
                while ((n = in.read(buffer)) != -1) {
                    inflated += n;
                    total += n;
                    if (inflated > limits.maxEntryBytes()) {
                        throw new ZipRejectedException(ZipRejection.ENTRY_TOO_LARGE,
                            "'" + name + "' inflates beyond " + limits.maxEntryBytes() + " bytes");
                    }
                    if (total > limits.maxTotalBytes()) {
                        throw new ZipRejectedException(ZipRejection.TOTAL_TOO_LARGE,
                            "entries inflate beyond " + limits.maxTotalBytes() + " bytes in total");
                    }
                    long compressed = Math.max(1, counting.count() - compressedStart);
                    if (inflated > limits.ratioGraceBytes() && inflated > compressed * limits.maxRatio()) {
                        throw new ZipRejectedException(ZipRejection.ZIP_BOMB, "'" + name + "' inflated " + inflated + " bytes from about "
                            + compressed + " (ratio above " + limits.maxRatio() + ":1)");
                    }
                    data.write(buffer, 0, n);
                }
                boolean folder = name.endsWith("/");
                if (folder && inflated > 0) {
                    throw new ZipRejectedException(ZipRejection.MALFORMED, "folder entry '" + name + "' has content");
                }
                Content content = Content.owning(data.toByteArray());
                entries.add(new ArchiveEntry(name, content, folder, !folder && isArchive(name, content)));
            }
        } catch (ZipRejectedException e) {
            throw e;
        } catch (EOFException e) {
            throw new ZipRejectedException(ZipRejection.TRUNCATED, "archive ends inside an entry");
        } catch (ZipException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("encrypted")) {
                throw new ZipRejectedException(ZipRejection.ENCRYPTED, "encrypted entries are not accepted");
            }
            throw new ZipRejectedException(ZipRejection.MALFORMED, message);
        } catch (IOException e) {
            throw new ZipRejectedException(ZipRejection.MALFORMED, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // ZipInputStream's name decoding ("MALFORMED[n]")
            throw new ZipRejectedException(ZipRejection.INVALID_NAME, "an entry name is not valid UTF-8");
        }
        crossCheck(directory, entries);
        LOG.debug("archive of {} bytes: {} entries, {} bytes inflated", zip.length, entries.size(), total);
        return new UnzippedArchive(entries, total);
    }

    private static void crossCheck(CentralDirectory directory, List<ArchiveEntry> entries) throws ZipRejectedException {
        switch (directory.kind) {
            case ABSENT:
                if (entries.isEmpty()) {
                    throw new ZipRejectedException(ZipRejection.NOT_A_ZIP, "no zip structure found");
                }
                throw new ZipRejectedException(ZipRejection.TRUNCATED, "the central directory is missing");
            case ZIP64:
                return;
            default:
                List<String> streamed = new ArrayList<>(entries.stream().map(ArchiveEntry::name).toList());
                List<String> listed = new ArrayList<>(directory.names);
                streamed.sort(null);
                listed.sort(null);
                if (!streamed.equals(listed)) {
                    throw new ZipRejectedException(ZipRejection.CENTRAL_DIRECTORY_MISMATCH, "the central directory lists "
                        + listed.size() + " entries, the archive holds " + streamed.size() + " (or other names)");
                }
        }
    }

    private void checkName(String name) throws ZipRejectedException {
        if (name.isEmpty()) {
            throw new ZipRejectedException(ZipRejection.INVALID_NAME, "an entry has an empty name");
        }
        if (name.length() > limits.maxNameLength()) {
            throw new ZipRejectedException(ZipRejection.INVALID_NAME, "an entry name is longer than " + limits.maxNameLength());
        }
        String shown = printable(name);
        if (name.indexOf('\\') >= 0) {
            throw new ZipRejectedException(ZipRejection.PATH_TRAVERSAL, "backslash in entry name '" + shown + "'");
        }
        if (name.startsWith("/")) {
            throw new ZipRejectedException(ZipRejection.PATH_TRAVERSAL, "absolute entry name '" + shown + "'");
        }
        if (DRIVE.matcher(name).matches()) {
            throw new ZipRejectedException(ZipRejection.PATH_TRAVERSAL, "drive letter in entry name '" + shown + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new ZipRejectedException(ZipRejection.INVALID_NAME, "control character in entry name '" + shown + "'");
            }
        }
        String[] segments = stripSlash(name).split("/", -1);
        for (String segment : segments) {
            if (segment.equals("..")) {
                throw new ZipRejectedException(ZipRejection.PATH_TRAVERSAL, "'..' in entry name '" + shown + "'");
            }
        }
        for (String segment : segments) {
            if (segment.isEmpty() || segment.equals(".")) {
                throw new ZipRejectedException(ZipRejection.INVALID_NAME, "empty or '.' segment in entry name '" + shown + "'");
            }
        }
    }

    private static String stripSlash(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean isArchive(String name, Content content) {
        String lower = name.toLowerCase(Locale.ROOT);
        return content.startsWith(ZIP_MAGIC) || lower.endsWith(".zip") || lower.endsWith(".jar") || lower.endsWith(".7z")
            || lower.endsWith(".rar") || lower.endsWith(".gz") || lower.endsWith(".tgz") || lower.endsWith(".tar");
    }

    /** Entry names go into messages: keep them short and printable. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < 80; i++) {
            char c = name.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }

    /** Counts the compressed bytes ZipInputStream pulls from the archive (its own read-ahead is at most 512 bytes). */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
