package fr.mssante.operator.dmp.connector.xds;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import fr.mssante.operator.dmp.outbox.Code;

/**
 * XDS classCode derived from the typeCode (ANS JDV ASS_X04, {@code 1.2.250.1.213.1.1.4.1}). The built-in table
 * covers the report types we file; anything else gets the default ("10 Compte rendu"), and configuration adds or
 * overrides entries ({@code MSS_DMP_CLASS_CODES}: {@code typeCode=code^display^system;...}).
 */
public final class ClassCodeMapping {
    public static final String CLASS_CODE_SYSTEM = "1.2.250.1.213.1.1.4.1";
    public static final Code COMPTE_RENDU = new Code("10", CLASS_CODE_SYSTEM, "Compte rendu");
    private static final String LOINC = "2.16.840.1.113883.6.1";

    private final Map<String, Code> byTypeCode;
    private final Code fallback;

    private ClassCodeMapping(Map<String, Code> byTypeCode, Code fallback) {
        this.byTypeCode = Map.copyOf(byTypeCode);
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    /** The built-in table: LOINC report types → "10 Compte rendu". */
    public static ClassCodeMapping defaults() {
        Map<String, Code> m = new HashMap<>();
        for (String loinc : new String[] {"11502-2", "11488-4", "34874-8", "18748-4", "11506-3", "11490-0",
            "28616-1", "34133-9"}) {
            m.put(key(loinc, LOINC), COMPTE_RENDU);
        }
        return new ClassCodeMapping(m, COMPTE_RENDU);
    }

    /** Adds {@code typeCode=code^display^system} entries separated by {@code ;} (typeCode in LOINC). */
    public ClassCodeMapping with(String entries) {
        if (entries == null || entries.isBlank()) {
            return this;
        }
        Map<String, Code> m = new HashMap<>(byTypeCode);
        for (String entry : entries.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("class code mapping entry without '=': " + entry);
            }
            m.put(key(entry.substring(0, eq).trim(), LOINC), CodeText.parse(entry.substring(eq + 1)));
        }
        return new ClassCodeMapping(m, fallback);
    }

    public ClassCodeMapping withDefault(Code newFallback) {
        return new ClassCodeMapping(byTypeCode, newFallback);
    }

    public Code classCodeFor(Code typeCode) {
        return byTypeCode.getOrDefault(key(typeCode.code(), typeCode.codeSystem()), fallback);
    }

    private static String key(String code, String system) {
        return system + "|" + code;
    }
}
