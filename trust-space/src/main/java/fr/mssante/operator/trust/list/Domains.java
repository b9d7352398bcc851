package fr.mssante.operator.trust.list;

import java.net.IDN;
import java.util.Locale;

/** Normalisation of mail domains for lookups: trimmed, lower case, no trailing dot, IDN in ASCII (punycode). */
public final class Domains {
    private Domains() {
    }

    public static String normalize(String domain) {
        if (domain == null) {
            return "";
        }
        if (isCanonical(domain)) {
            return domain;
        }
        String d = domain.strip().toLowerCase(Locale.ROOT);
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (!d.chars().allMatch(c -> c < 0x80)) {
            try {
                d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                // keep the lower-cased form: it simply will not match
            }
        }
        return d;
    }

    /** Already lower-case ASCII without surrounding spaces or trailing dot (the common case, no allocation). */
    private static boolean isCanonical(String d) {
        int n = d.length();
        if (n == 0 || d.charAt(n - 1) == '.') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = d.charAt(i);
            if (c >= 0x80 || c <= ' ' || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }
}
