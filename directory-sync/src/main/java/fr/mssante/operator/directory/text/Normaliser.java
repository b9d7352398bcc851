package fr.mssante.operator.directory.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Folds text for accent- and case-insensitive matching: 'Hélène-Marie  D'ARC' becomes 'helene marie d arc'.
 * The same function normalises the stored search columns (at import) and the search terms (at query time), so the
 * database needs neither the unaccent extension nor an immutable wrapper around it.
 */
public final class Normaliser {

    private Normaliser() {
    }

    /** Lower-case, accents removed, ligatures expanded, every run of non-alphanumerics replaced by one space, trimmed. */
    public static String fold(String text) {
        if (text == null) {
            return null;
        }
        String decomposed = isPlainAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean pendingSpace = false;
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (c < 128) {
                if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + 32);
                }
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                    pendingSpace = appendWithSpace(out, pendingSpace, String.valueOf(c));
                } else {
                    pendingSpace = true;
                }
                continue;
            }
            int type = Character.getType(c);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.COMBINING_SPACING_MARK) {
                continue;
            }
            String expanded = expandLigature(c);
            if (expanded != null) {
                pendingSpace = appendWithSpace(out, pendingSpace, expanded);
            } else if (Character.isLetterOrDigit(c)) {
                pendingSpace = appendWithSpace(out, pendingSpace, String.valueOf(c).toLowerCase(Locale.ROOT));
            } else {
                pendingSpace = true;
            }
        }
        return out.toString();
    }

    /** Like {@link #fold} but null for null or blank input. */
    public static String foldOrNull(String text) {
        String folded = fold(text);
        return folded == null || folded.isEmpty() ? null : folded;
    }

    private static boolean appendWithSpace(StringBuilder out, boolean pendingSpace, String s) {
        if (pendingSpace && out.length() > 0) {
            out.append(' ');
        }
        out.append(s);
        return false;
    }

    private static boolean isPlainAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    private static String expandLigature(char c) {
        switch (c) {
            case 'œ': case 'Œ': return "oe";
            case 'æ': case 'Æ': return "ae";
            case 'ß': return "ss";
            case 'ø': case 'Ø': return "o";
            case 'đ': case 'Đ': return "d";
            case 'ł': case 'Ł': return "l";
            default: return null;
        }
    }
}
