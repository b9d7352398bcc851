package fr.mssante.operator.directory.parse;

import java.util.List;

/**
 * A stored column and the header names it is read from (the first one present wins). Header names are compared after
 * {@link HeaderName#key} so that case, accents, apostrophes and spaces do not matter.
 */
public record Column(String name, List<String> headers) {

    public static Column of(String name, String... headers) {
        return new Column(name, List.of(headers));
    }
}
