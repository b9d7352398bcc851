package fr.mssante.operator.documents.ins;

import java.util.Locale;
import java.util.Optional;

/** The INS sex trait: M, F or I (indéterminé); HL7 administrativeGenderCode M, F, U/UN map onto it. */
public enum Sex {
    MALE("M"),
    FEMALE("F"),
    UNDETERMINED("I");

    private final String code;

    Sex(String code) {
        this.code = code;
    }

    /** The INS code: M, F or I. */
    public String code() {
        return code;
    }

    public static Optional<Sex> ofCode(String code) {
        if (code == null) {
            return Optional.empty();
        }
        switch (code.trim().toUpperCase(Locale.ROOT)) {
            case "M":
                return Optional.of(MALE);
            case "F":
                return Optional.of(FEMALE);
            case "I":
            case "U":
            case "UN":
                return Optional.of(UNDETERMINED);
            default:
                return Optional.empty();
        }
    }
}
