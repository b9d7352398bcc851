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
}
