package fr.mssante.operator.directory.lookup;

import java.util.Optional;

/**
 * IdNat_PS: '8' + RPPS (11 digits) or '0' + ADELI (9 digits). A bare RPPS or ADELI number is accepted and prefixed.
 */
public final class NationalId {

    private NationalId() {
    }

    public static Optional<String> normalise(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String s = id.trim();
        if (!s.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return switch (s.length()) {
            case 12 -> s.charAt(0) == '8' ? Optional.of(s) : Optional.empty();
            case 10 -> s.charAt(0) == '0' ? Optional.of(s) : Optional.empty();
            case 11 -> Optional.of("8" + s);
            case 9 -> Optional.of("0" + s);
            default -> Optional.empty();
        };
    }
}
