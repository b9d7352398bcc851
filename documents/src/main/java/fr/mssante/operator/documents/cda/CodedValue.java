package fr.mssante.operator.documents.cda;

import java.util.Optional;

/** An HL7 v3 CD/CE: {@code code}, {@code codeSystem} and the optional {@code displayName}. */
public record CodedValue(String code, String codeSystem, Optional<String> displayName) {
}
