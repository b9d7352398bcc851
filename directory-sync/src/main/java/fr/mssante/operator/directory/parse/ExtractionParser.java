package fr.mssante.operator.directory.parse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one extraction file (UTF-8, with or without BOM, '|'-separated, trailing '|', one header line) and hands each
 * acceptable row to a {@link RowSink}. Lines with the wrong number of fields or missing required values are reported
 * with their line number and skipped; duplicate mailbox addresses (case-insensitive) and, for the PS files, exact
 * duplicate lines keep their first occurrence.
 */
public final class ExtractionParser {

    public static final int MAX_REPORTED_ISSUES = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ExtractionParser.class);

    /** Parses from the header on. The stream is read to its end but not closed. */
    public ParseSummary parse(InputStream in, RowSink sink) throws IOException, ExtractionFormatException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        ParsedHeader header = ParsedHeader.parse(reader.readLine());
        Dataset dataset = header.dataset();
        Map<String, Integer> index = dataset.storedIndex();
        int stored = dataset.storedColumns().size();
        int[] positions = header.sourcePositions();
        boolean byAddress = dataset == Dataset.MAILBOX;
        int addressKey = byAddress ? index.get("address_key") : -1;
        Set<String> seenAddresses = byAddress ? new HashSet<>(1 << 20) : null;
        LongHashSet seenLines = byAddress ? null : new LongHashSet();

        List<LineIssue> issues = new ArrayList<>();
        int reportedMalformed = 0;
        int reportedDuplicates = 0;
        long lineNumber = 1;
        long dataLines = 0;
        long accepted = 0;
        long malformed = 0;
        long duplicates = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (line.isEmpty()) {
                continue;
            }
            dataLines++;
            String[] fields = FieldSplitter.split(line);
            String error = null;
            String[] row = null;
            if (fields.length != header.fieldCount()) {
                error = "expected " + header.fieldCount() + " fields, found " + fields.length;
            } else {
                row = new String[stored];
                for (int c = 0; c < positions.length; c++) {
                    if (positions[c] >= 0) {
                        String v = fields[positions[c]].trim();
                        row[c] = v.isEmpty() ? null : v;
                    }
                }
                error = dataset.derive(row, index);
            }
            if (error != null) {
                malformed++;
                if (reportedMalformed++ < MAX_REPORTED_ISSUES) {
                    issues.add(new LineIssue(lineNumber, LineIssue.Kind.MALFORMED, error));
                }
                LOG.debug("Line {} skipped: {}", lineNumber, error);
                continue;
            }
            long fingerprint = fingerprint(line);
            row[stored - 1] = Long.toString(fingerprint);
            boolean first = byAddress ? seenAddresses.add(row[addressKey]) : seenLines.add(fingerprint);
            if (!first) {
                duplicates++;
                if (reportedDuplicates++ < MAX_REPORTED_ISSUES) {
                    issues.add(new LineIssue(lineNumber, LineIssue.Kind.DUPLICATE,
                        byAddress ? "duplicate mailbox address, first occurrence kept" : "duplicate line"));
                }
                continue;
            }
            sink.accept(row);
            accepted++;
        }
        return new ParseSummary(dataset, header.fieldCount(), header.missingColumns(), dataLines, accepted, malformed,
            duplicates, List.copyOf(issues));
    }

    /** 64-bit FNV-1a over the line's chars, a fingerprint for exact-duplicate detection. */
    static long fingerprint(String line) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < line.length(); i++) {
            h ^= line.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
