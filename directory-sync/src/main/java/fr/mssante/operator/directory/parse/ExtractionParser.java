package fr.mssante.operator.directory.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one extraction file (UTF-8, with or without BOM, '|'-separated, trailing '|', one header line) and hands each
 * acceptable row on. Lines with the wrong number of fields or missing required values are reported with their line
 * number and skipped; duplicate mailbox addresses (case-insensitive) and, for the PS files, exact duplicate lines
 * keep their first occurrence.
 *
 * <p>The lines are split as bytes: only the fields that derived columns come from are decoded, and
 * {@link #parse(InputStream, CopyLineSink)} copies the other fields' bytes straight into the COPY stream (the import
 * is CPU-bound on two cores, and decoding then re-encoding 30 fields per line cost more than PostgreSQL's COPY).
 */
public final class ExtractionParser {

    public static final int MAX_REPORTED_ISSUES = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ExtractionParser.class);

    private interface Emitter {
        void emit(RawRow row) throws IOException;
    }

    /** Parses from the header on, handing each accepted row as strings. The stream is read to its end, not closed. */
    public ParseSummary parse(InputStream in, RowSink sink) throws IOException, ExtractionFormatException {
        return run(in, row -> sink.accept(row.toStrings()), null);
    }

    /** Parses from the header on, handing each accepted row as a COPY text line. The stream is not closed. */
    public ParseSummary parse(InputStream in, CopyLineSink sink) throws IOException, ExtractionFormatException {
        return parse(in, sink, null);
    }

    /**
     * The same, also telling {@code keys} the diff key ({@link Dataset#diffKey()}) and fingerprint of each accepted
     * row (null: not wanted).
     */
    public ParseSummary parse(InputStream in, CopyLineSink sink, KeyObserver keys)
        throws IOException, ExtractionFormatException {
        return run(in, row -> {
            row.encodeCopy();
            sink.accept(row.encoded(), 0, row.encodedLength());
        }, keys);
    }

    private ParseSummary run(InputStream in, Emitter emitter, KeyObserver keys)
        throws IOException, ExtractionFormatException {
        LineReader reader = new LineReader(in);
        String headerLine = reader.next()
            ? new String(reader.buffer(), reader.start(), reader.end() - reader.start(), StandardCharsets.UTF_8)
            : null;
        ParsedHeader header = ParsedHeader.parse(headerLine);
        Dataset dataset = header.dataset();
        Map<String, Integer> index = dataset.storedIndex();
        int rowHash = index.get(Dataset.ROW_HASH);
        int[] positions = header.sourcePositions();
        int fieldCount = header.fieldCount();
        boolean byAddress = dataset == Dataset.MAILBOX;
        int addressKey = byAddress ? index.get("address_key") : -1;
        int diffKey = index.get(dataset.diffKey());
        int address = byAddress ? index.get("address") : -1;
        Set<String> seenAddresses = byAddress ? new HashSet<>(1 << 20) : null;
        LongHashSet seenLines = byAddress ? null : new LongHashSet();
        RawRow row = new RawRow(dataset);
        int[] fieldStart = new int[fieldCount + 1];
        int[] fieldEnd = new int[fieldCount + 1];

        List<LineIssue> issues = new ArrayList<>();
        int reportedMalformed = 0;
        int reportedDuplicates = 0;
        long lineNumber = 1;
        long dataLines = 0;
        long accepted = 0;
        long malformed = 0;
        long duplicates = 0;
        while (reader.next()) {
            lineNumber++;
            byte[] buffer = reader.buffer();
            int start = reader.start();
            int end = reader.end();
            if (start == end) {
                continue;
            }
            dataLines++;
            long fingerprint = 0;
            boolean hashed = false;
            if (keys != null) {
                fingerprint = fingerprint(buffer, start, end);
                hashed = true;
                if (keys.stored(fingerprint)) {
                    // stored byte for byte under the same layout: valid and derived already (so not split either);
                    // only duplicates matter
                    boolean first = byAddress
                        ? seenAddresses.add(addressKey(row, buffer, start, end, positions[address], address))
                        : seenLines.add(fingerprint);
                    if (first) {
                        keys.kept(fingerprint);
                        accepted++;
                    } else {
                        duplicates++;
                        if (reportedDuplicates++ < MAX_REPORTED_ISSUES) {
                            issues.add(duplicate(lineNumber, byAddress));
                        }
                    }
                    continue;
                }
            }
            int fields = split(buffer, start, end, fieldStart, fieldEnd);
            String error;
            if (fields != fieldCount) {
                error = "expected " + fieldCount + " fields, found " + fields;
            } else {
                row.reset(buffer);
                for (int c = 0; c < positions.length; c++) {
                    if (positions[c] >= 0) {
                        row.setField(c, fieldStart[positions[c]], fieldEnd[positions[c]]);
                    } else {
                        row.setAbsent(c);
                    }
                }
                error = dataset.derive(row);
            }
            if (error != null) {
                malformed++;
                if (reportedMalformed++ < MAX_REPORTED_ISSUES) {
                    issues.add(new LineIssue(lineNumber, LineIssue.Kind.MALFORMED, error));
                }
                LOG.debug("Line {} skipped: {}", lineNumber, error);
                continue;
            }
            if (!hashed) {
                fingerprint = fingerprint(buffer, start, end);
            }
            row.set(rowHash, Long.toString(fingerprint));
            boolean first = byAddress ? seenAddresses.add(row.get(addressKey)) : seenLines.add(fingerprint);
            if (!first) {
                duplicates++;
                if (reportedDuplicates++ < MAX_REPORTED_ISSUES) {
                    issues.add(duplicate(lineNumber, byAddress));
                }
                continue;
            }
            emitter.emit(row);
            if (keys != null) {
                keys.accept(row.get(diffKey), fingerprint);
            }
            accepted++;
        }
        return new ParseSummary(dataset, header.fieldCount(), header.missingColumns(), dataLines, accepted, malformed,
            duplicates, List.copyOf(issues));
    }

    private static LineIssue duplicate(long lineNumber, boolean byAddress) {
        return new LineIssue(lineNumber, LineIssue.Kind.DUPLICATE,
            byAddress ? "duplicate mailbox address, first occurrence kept" : "duplicate line");
    }

    /**
     * The address key ({@link Dataset#derive}: the address lower-cased) of a line whose address is field
     * {@code field}, decoding only that field.
     */
    private static String addressKey(RawRow row, byte[] buffer, int start, int end, int field, int column) {
        int from = start;
        for (int n = 0; n < field; n++) {
            while (from < end && buffer[from] != '|') {
                from++;
            }
            from = Math.min(from + 1, end);
        }
        int to = from;
        while (to < end && buffer[to] != '|') {
            to++;
        }
        row.reset(buffer);
        row.setField(column, from, to);
        return Dataset.addressKey(row.get(column));
    }

    /**
     * Splits [start, end[ on '|' into the field ranges (the one trailing '|' every line ends with does not start a
     * field, as in {@link FieldSplitter}); returns the field count, which may exceed the arrays (then not filled).
     */
    static int split(byte[] buffer, int start, int end, int[] fieldStart, int[] fieldEnd) {
        if (end > start && buffer[end - 1] == '|') {
            end--;
        }
        int n = 0;
        int max = fieldStart.length;
        int from = start;
        for (int i = start; i < end; i++) {
            if (buffer[i] == '|') {
                if (n < max) {
                    fieldStart[n] = from;
                    fieldEnd[n] = i;
                }
                n++;
                from = i + 1;
            }
        }
        if (n < max) {
            fieldStart[n] = from;
            fieldEnd[n] = end;
        }
        return n + 1;
    }

    /** 64-bit FNV-1a over the line's chars (UTF-16 code units), a fingerprint for duplicate and change detection. */
    static long fingerprint(String line) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < line.length(); i++) {
            h ^= line.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * The same fingerprint computed from the UTF-8 bytes, decoding on the fly, so that stored row hashes do not
     * depend on how the line was read. A malformed sequence counts as U+FFFD.
     */
    static long fingerprint(byte[] b, int start, int end) {
        long h = 0xcbf29ce484222325L;
        int i = start;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                h = (h ^ c) * 0x100000001b3L;
                i++;
                continue;
            }
            int cp = 0xFFFD;
            int length = 1;
            if (c >= 0xC2 && c < 0xE0 && i + 1 < end && continuation(b[i + 1])) {
                cp = ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
                length = 2;
            } else if (c >= 0xE0 && c < 0xF0 && i + 2 < end && continuation(b[i + 1]) && continuation(b[i + 2])) {
                int v = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
                if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
                    cp = v;
                    length = 3;
                }
            } else if (c >= 0xF0 && c < 0xF5 && i + 3 < end && continuation(b[i + 1]) && continuation(b[i + 2])
                && continuation(b[i + 3])) {
                int v = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
                if (v >= 0x10000 && v <= 0x10FFFF) {
                    cp = v;
                    length = 4;
                }
            }
            if (cp >= 0x10000) {
                h = (h ^ Character.highSurrogate(cp)) * 0x100000001b3L;
                h = (h ^ Character.lowSurrogate(cp)) * 0x100000001b3L;
            } else {
                h = (h ^ cp) * 0x100000001b3L;
            }
            i += length;
        }
        return h;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
