package fr.mssante.operator.documents.ins;

import java.util.Locale;

/**
 * The NIR / NIA matricule: 13 characters and a 2-digit key, key = 97 − (the 13 characters as a number mod 97),
 * where a Corsican department {@code 2A} counts as {@code 19} and {@code 2B} as {@code 18}
 * (health-formats.md §3; third-party reference: python-stdnum {@code stdnum/fr/nir.py}).
 */
public final class Nir {
    private Nir() {
    }

    /** Checks {@code matricule} (15 characters, no spaces). */
    public static NirCheck check(String matricule) {
        if (matricule == null || matricule.length() != 15) {
            return new NirCheck(NirCheck.Status.WRONG_LENGTH, -1, false);
        }
        String value = matricule.toUpperCase(Locale.ROOT);
        String department = value.substring(5, 7);
        String body;
        if (department.equals("2A")) {
            body = value.substring(0, 5) + "19" + value.substring(7, 13);
        } else if (department.equals("2B")) {
            body = value.substring(0, 5) + "18" + value.substring(7, 13);
        } else {
            body = value.substring(0, 13);
        }
        String key = value.substring(13);
        if (!digits(body) || !digits(key)) {
            return new NirCheck(NirCheck.Status.INVALID_CHARACTERS, -1, false);
        }
        int expected = (int) (97 - Long.parseLong(body) % 97);
        boolean provisional = value.charAt(0) == '7' || value.charAt(0) == '8';
        if (Integer.parseInt(key) != expected) {
            return new NirCheck(NirCheck.Status.WRONG_KEY, expected, provisional);
        }
        return new NirCheck(NirCheck.Status.VALID, expected, provisional);
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
