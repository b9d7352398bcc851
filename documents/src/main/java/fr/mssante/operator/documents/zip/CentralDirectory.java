package fr.mssante.operator.documents.zip;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the names listed in a zip's central directory (APPNOTE.TXT §4.3.12 and §4.3.16), with bounds checks on every
 * offset. Used to pre-count entries before inflating anything and to check that the entries streamed from the local
 * headers are exactly the ones the directory lists (what other zip readers will show).
 */
final class CentralDirectory {
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int CEN_SIGNATURE = 0x02014b50;
    private static final int EOCD_SIZE = 22;
    private static final int CEN_SIZE = 46;

    /** What was found at the end of the archive. */
    enum Kind {
        /** No end-of-central-directory record. */
        ABSENT,
        /** A ZIP64 archive: counts and offsets are in the ZIP64 records; the cross-check is skipped. */
        ZIP64,
        /** The names are in {@link CentralDirectory#names}. */
        LISTED
    }

    final Kind kind;
    final int declaredEntries;
    final List<String> names;

    private CentralDirectory(Kind kind, int declaredEntries, List<String> names) {
        this.kind = kind;
        this.declaredEntries = declaredEntries;
        this.names = names;
    }

    static CentralDirectory read(byte[] zip, ZipLimits limits) throws ZipRejectedException {
        int eocd = findEndRecord(zip);
        if (eocd < 0) {
            return new CentralDirectory(Kind.ABSENT, 0, List.of());
        }
        int disk = u16(zip, eocd + 4);
        int cdDisk = u16(zip, eocd + 6);
        int entriesOnDisk = u16(zip, eocd + 8);
        int entries = u16(zip, eocd + 10);
        long size = u32(zip, eocd + 12);
        long offset = u32(zip, eocd + 16);
        if (entries == 0xFFFF || entriesOnDisk == 0xFFFF || size == 0xFFFFFFFFL || offset == 0xFFFFFFFFL) {
            return new CentralDirectory(Kind.ZIP64, -1, List.of());
        }
        if (disk != 0 || cdDisk != 0 || entriesOnDisk != entries) {
            throw new ZipRejectedException(ZipRejection.MALFORMED, "multi-volume archives are not accepted");
        }
        if (entries > limits.maxEntries()) {
            throw new ZipRejectedException(ZipRejection.TOO_MANY_ENTRIES,
                "central directory lists " + entries + " entries, limit " + limits.maxEntries());
        }
        if (offset + size > eocd) {
            throw new ZipRejectedException(ZipRejection.MALFORMED, "central directory lies outside the archive");
        }
        List<String> names = new ArrayList<>(entries);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        int position = (int) offset;
        int end = (int) (offset + size);
        for (int i = 0; i < entries; i++) {
            if (position + CEN_SIZE > end || u32(zip, position) != CEN_SIGNATURE) {
                throw new ZipRejectedException(ZipRejection.MALFORMED, "central directory entry " + i + " is damaged");
            }
            int nameLength = u16(zip, position + 28);
            int extraLength = u16(zip, position + 30);
            int commentLength = u16(zip, position + 32);
            int next = position + CEN_SIZE + nameLength + extraLength + commentLength;
            if (next > end) {
                throw new ZipRejectedException(ZipRejection.MALFORMED, "central directory entry " + i + " overruns the directory");
            }
            try {
                CharBuffer name = utf8.decode(ByteBuffer.wrap(zip, position + CEN_SIZE, nameLength));
                names.add(name.toString());
            } catch (CharacterCodingException e) {
                throw new ZipRejectedException(ZipRejection.INVALID_NAME, "entry name " + i + " is not valid UTF-8");
            }
            position = next;
        }
        return new CentralDirectory(Kind.LISTED, entries, names);
    }

    /** The last end-of-central-directory record whose comment fits in the archive; -1 if none. */
    private static int findEndRecord(byte[] zip) {
        int last = zip.length - EOCD_SIZE;
        int first = Math.max(0, last - 0xFFFF);
        for (int i = last; i >= first; i--) {
            if (u32(zip, i) == EOCD_SIGNATURE && i + EOCD_SIZE + u16(zip, i + 20) <= zip.length) {
                return i;
            }
        }
        return -1;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int at) {
        return (u16(b, at) | (long) u16(b, at + 2) << 16) & 0xFFFFFFFFL;
    }
}
