package fr.mssante.operator.trust.policy;

import java.text.Normalizer;

/** Makes a reply text safe for SMTP: one line of printable ASCII (accents stripped), bounded length. */
final class SmtpText {
    private static final int MAX = 400;

    private SmtpText() {
    }

    static String sanitize(String text) {
        if (text == null) {
            return "";
        }
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        StringBuilder sb = new StringBuilder(Math.min(ascii.length(), MAX));
        for (int i = 0; i < ascii.length() && sb.length() < MAX; i++) {
            char c = ascii.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : (Character.isWhitespace(c) ? ' ' : '?'));
        }
        return sb.toString().strip();
    }
}
