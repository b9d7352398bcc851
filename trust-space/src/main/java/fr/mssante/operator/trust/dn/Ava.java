package fr.mssante.operator.trust.dn;

import java.text.Normalizer;
import java.util.Locale;

/**
 * One attribute type and value assertion, as written ({@code value}) and normalised ({@code type}, {@code normalizedValue}).
 *
 * @param type canonical attribute type (CN, OU, O, ST, C... or a dotted OID)
 * @param value the decoded value (escapes and quotes removed), as written
 * @param normalizedValue NFKC, whitespace (incl. U+00A0) collapsed to one space, trimmed, lower case
 */
public record Ava(String type, String value, String normalizedValue) implements Comparable<Ava> {

    public static Ava of(String type, String value) {
        return new Ava(AttributeTypes.canonical(type), value, normalize(value));
    }

    static String normalize(String value) {
        String nfkc = Normalizer.normalize(value, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        boolean pendingSpace = false;
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.appendCodePoint(cp);
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    String canonical() {
        return type + "=" + escape(normalizedValue);
    }

    private static String escape(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 4);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (",+\"\\<>;=".indexOf(c) >= 0 || (i == 0 && (c == '#' || c == ' '))) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    @Override
    public int compareTo(Ava o) {
        int c = type.compareTo(o.type);
        return c != 0 ? c : normalizedValue.compareTo(o.normalizedValue);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ava other && type.equals(other.type) && normalizedValue.equals(other.normalizedValue);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + normalizedValue.hashCode();
    }
}
