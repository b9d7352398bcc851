package fr.mssante.operator.directory.text;

import java.text.Normalizer;
import java.util.Arrays;
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
    /** The same as one char when the folded form is a single char; SEPARATOR, DROP or MANY otherwise. */
    private static final char[] SINGLE = new char[TABLE_SIZE];
    private static final char SEPARATOR = 0;
    private static final char DROP = 1;
    private static final char MANY = 2;

    static {
        for (int c = 0; c < TABLE_SIZE; c++) {
            String folded = slowFold((char) c);
            TABLE[c] = folded;
            SINGLE[c] = folded == null ? SEPARATOR : folded.isEmpty() ? DROP : folded.length() == 1 ? folded.charAt(0) : MANY;
        }
    }

    private Normaliser() {
    }

    /** Lower-case, accents removed, ligatures expanded, every run of non-alphanumerics replaced by one space, trimmed. */
    public static String fold(String text) {
        if (text == null) {
            return null;
        }
        char[] out = new char[text.length() * 2 + 1];
        int length = 0;
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char single = c < TABLE_SIZE ? SINGLE[c] : MANY;
            if (single == SEPARATOR) {
                pendingSpace = true;
                continue;
            }
            if (single == DROP) {
                continue;
            }
            String folded = single == MANY ? (c < TABLE_SIZE ? TABLE[c] : slowFold(c)) : null;
            if (single == MANY && folded == null) {
                pendingSpace = true;
                continue;
            }
            if (single == MANY && folded.isEmpty()) {
                continue;
            }
            if (pendingSpace && length > 0) {
                out[length++] = ' ';
            }
            pendingSpace = false;
            if (folded == null) {
                out[length++] = single;
            } else {
                if (length + folded.length() > out.length) {
                    out = Arrays.copyOf(out, out.length * 2 + folded.length());
                }
                for (int k = 0; k < folded.length(); k++) {
                    out[length++] = folded.charAt(k);
                }
            }
        }
        return new String(out, 0, length);
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
