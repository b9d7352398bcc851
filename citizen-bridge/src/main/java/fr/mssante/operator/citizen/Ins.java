package fr.mssante.operator.citizen;

import java.util.Locale;
import java.util.Optional;

import fr.mssante.operator.documents.ins.Nir;
import fr.mssante.operator.documents.ins.NirCheck;

/**
 * An INS matricule as used in a citizen's address ({@code <INS>@patient.mssante.fr}): 15 characters, a 13-character
 * NIR (digits; {@code 2A}/{@code 2B} for Corsica) and its 2-digit key, key = 97 − (NIR mod 97) with 2A counted as 19
 * and 2B as 18. The key check is {@link Nir}'s (documents module): one implementation for CDA headers and addresses.
 */
public record Ins(String value) {
    public Ins {
        value = value.toUpperCase(Locale.ROOT);
        if (!Nir.check(value).valid()) {
            throw new IllegalArgumentException("not a valid INS: " + value);
        }
    }

    /** Why {@code candidate} is not a valid INS; empty when it is one. */
    public static Optional<String> problem(String candidate) {
        NirCheck check = Nir.check(candidate == null ? null : candidate.trim());
        return switch (check.status()) {
            case VALID -> Optional.empty();
            case WRONG_LENGTH -> Optional.of("l'INS doit compter 15 caractères (13 pour le NIR et 2 pour la clé)");
            case INVALID_CHARACTERS -> Optional.of("l'INS ne doit contenir que des chiffres (2A ou 2B pour la Corse)");
            case WRONG_KEY -> Optional.of("la clé de l'INS est fausse (attendue : " + String.format(Locale.ROOT, "%02d", check.expectedKey()) + ")");
        };
    }

    public static Optional<Ins> parse(String candidate) {
        return candidate != null && problem(candidate).isEmpty() ? Optional.of(new Ins(candidate.trim())) : Optional.empty();
    }

    /** The key a 13-character NIR calls for (development data, tests). */
    public static Ins withKey(String nir) {
        NirCheck check = Nir.check(nir + "00");
        if (check.expectedKey() < 0) {
            throw new IllegalArgumentException("not a NIR: " + nir);
        }
        return new Ins(nir + String.format(Locale.ROOT, "%02d", check.expectedKey()));
    }

    /** The address of this citizen in {@code patientDomain}. */
    public String address(String patientDomain) {
        return value.toLowerCase(Locale.ROOT) + "@" + patientDomain.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
