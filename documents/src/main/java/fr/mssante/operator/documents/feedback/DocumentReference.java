package fr.mssante.operator.documents.feedback;

import java.util.Optional;

/**
 * How the notification names a document to its sender: its title, its id (CDA {@code root^extension}) and the file it
 * came in. Never any medical content, never the patient's identity.
 */
public record DocumentReference(Optional<String> title, Optional<String> documentId, Optional<String> filename) {
    public static DocumentReference of(String title, String documentId, String filename) {
        return new DocumentReference(Optional.ofNullable(title), Optional.ofNullable(documentId), Optional.ofNullable(filename));
    }
}
