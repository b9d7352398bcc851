package fr.mssante.operator.directory.parse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The header line of an extraction: which dataset, how many fields a line must have, and for each kept column the
 * position of its field in the file (-1 when the release does not have it).
 */
public record ParsedHeader(Dataset dataset, int fieldCount, int[] sourcePositions, List<String> missingColumns) {

    public static ParsedHeader parse(String headerLine) throws ExtractionFormatException {
        String line = stripBom(headerLine);
        if (line == null || line.isBlank()) {
            throw new ExtractionFormatException("empty file: no header line");
        }
        String[] names = FieldSplitter.split(line);
        Map<String, Integer> byKey = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            byKey.putIfAbsent(HeaderName.key(names[i]), i);
        }
        Optional<Dataset> dataset = Dataset.recognise(byKey.keySet());
        if (dataset.isEmpty()) {
            throw new ExtractionFormatException("unknown extraction layout (" + names.length + " columns)");
        }
        Dataset d = dataset.get();
        List<Column> columns = d.columns();
        int[] positions = new int[columns.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            positions[c] = -1;
            for (String header : columns.get(c).headers()) {
                Integer pos = byKey.get(HeaderName.key(header));
                if (pos != null) {
                    positions[c] = pos;
                    break;
                }
            }
            if (positions[c] < 0) {
                missing.add(columns.get(c).name());
            }
        }
        for (String required : d.requiredColumns()) {
            if (missing.contains(required)) {
                throw new ExtractionFormatException("required column missing for " + d + ": " + required);
            }
        }
        return new ParsedHeader(d, names.length, positions, List.copyOf(missing));
    }

    /**
     * What a line's bytes mean under this header: the dataset, the storage version, the field count and the position
     * of each kept column. Two files with the same layout store the same row for the same line.
     */
    public String layout() {
        StringBuilder sb = new StringBuilder(dataset.name()).append(" v").append(Dataset.STORAGE_VERSION)
            .append(' ').append(fieldCount).append(':');
        for (int i = 0; i < sourcePositions.length; i++) {
            sb.append(i == 0 ? "" : ",").append(sourcePositions[i]);
        }
        return sb.toString();
    }

    static String stripBom(String line) {
        return line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }
}
