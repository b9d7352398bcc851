package fr.mssante.operator.directory.text;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Folds text for accent- and case-insensitive matching: 'Hélène-Marie  D'ARC' becomes 'helene marie d arc'.
 * The same function normalises the stored search columns (at import) and the search terms (at query time), so the
 * database needs neither the unaccent extension nor an immutable wrapper around it. Characters below U+0250 (all of
 * Latin-1 and Latin Extended-A/B) go through a precomputed table: the import folds millions of names.
 */
public final class Normaliser {

    private static final int TABLE_SIZE = 0x250;
    /** Folded form of each char below TABLE_SIZE; null for a separator, "" for a mark to drop. */
    private static final String[] TABLE = new String[TABLE_SIZE];

    static {
        for (int c = 0; c < TABLE_SIZE; c++) {
            TABLE[c] = slowFold((char) c);
        }
    }

    private Normaliser() {
    }

    /** Lower-case, accents removed, ligatures expanded, every run of non-alphanumerics replaced by one space, trimmed. */
    public static String fold(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String folded = c < TABLE_SIZE ? TABLE[c] : slowFold(c);
            if (folded == null) {
                pendingSpace = true;
            } else if (!folded.isEmpty()) {
                if (pendingSpace && out.length() > 0) {
                    out.append(' ');
                }
                pendingSpace = false;
                out.append(folded);
            }
        }
        return out.toString();
    }

    /** Like {@link #fold} but null for null or blank input. */
    public static String foldOrNull(String text) {
        String folded = fold(text);
        return folded == null || folded.isEmpty() ? null : folded;
    }

    private static String slowFold(char c) {
        String expanded = expandLigature(c);
        if (expanded != null) {
            return expanded;
        }
        int type = Character.getType(c);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
            || type == Character.COMBINING_SPACING_MARK) {
            return "";
        }
        if (!Character.isLetterOrDigit(c)) {
            return null;
        }
        StringBuilder out = new StringBuilder(2);
        for (char d : Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD).toCharArray()) {
            int t = Character.getType(d);
            if (t != Character.NON_SPACING_MARK && t != Character.ENCLOSING_MARK && t != Character.COMBINING_SPACING_MARK) {
                out.append(d);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
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
