package fr.mssante.operator.dmp.outbox;

import java.util.Objects;

/**
 * A coded value of the XDS metadata (typeCode, formatCode, confidentialityCode...).
 *
 * @param code the code (e.g. {@code 11502-2})
 * @param codeSystem its code system OID or URN (e.g. {@code 2.16.840.1.113883.6.1} for LOINC)
 * @param displayName the human-readable label, may be null
 */
public record Code(String code, String codeSystem, String displayName) {
    public Code {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(codeSystem, "codeSystem");
    }
}
