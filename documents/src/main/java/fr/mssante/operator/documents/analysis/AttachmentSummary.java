package fr.mssante.operator.documents.analysis;

import java.util.Optional;

import fr.mssante.operator.documents.detect.AttachmentKind;

/** A health attachment seen in the message: kind, name, MIME part path, size. No content. */
public record AttachmentSummary(AttachmentKind kind, Optional<String> filename, String partPath, int size) {
}
