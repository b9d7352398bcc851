package fr.mssante.operator.directory.parse;

import java.util.ArrayList;
import java.util.List;

/** Splits a '|'-separated line; the one trailing '|' every line ends with does not start a field. */
final class FieldSplitter {

    private FieldSplitter() {
    }

    static String[] split(String line) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '|') {
            end--;
        }
        List<String> fields = new ArrayList<>(64);
        int start = 0;
        for (int i = 0; i < end; i++) {
            if (line.charAt(i) == '|') {
                fields.add(line.substring(start, i));
                start = i + 1;
            }
        }
        fields.add(line.substring(start, end));
        return fields.toArray(String[]::new);
    }
}
