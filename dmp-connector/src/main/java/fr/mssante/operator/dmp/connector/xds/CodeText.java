package fr.mssante.operator.dmp.connector.xds;

import fr.mssante.operator.dmp.outbox.Code;

/** Codes written in configuration as {@code code^displayName^codeSystem} (the HL7 CE order). */
public final class CodeText {
    private CodeText() {
    }

    public static Code parse(String text) {
        String[] parts = text.trim().split("\\^", -1);
        if (parts.length != 3 || parts[0].isBlank() || parts[2].isBlank()) {
            throw new IllegalArgumentException("expected code^displayName^codeSystem, got '" + text + "'");
        }
        return new Code(parts[0].trim(), parts[2].trim(), parts[1].isBlank() ? null : parts[1].trim());
    }

    public static String format(Code code) {
        return code.code() + "^" + (code.displayName() == null ? "" : code.displayName()) + "^" + code.codeSystem();
    }
}
