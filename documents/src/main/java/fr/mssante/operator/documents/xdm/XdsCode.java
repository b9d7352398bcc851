package fr.mssante.operator.documents.xdm;

import java.util.Optional;

/** An XDS coded classification: {@code nodeRepresentation}, its {@code codingScheme} slot and display name. */
public record XdsCode(String code, String codingScheme, Optional<String> displayName) {
}
