package fr.mssante.operator.extensions.dmp;

import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import fr.mssante.operator.dmp.outbox.DocumentMetadata;

/** Finds the CDA documents of a message (IHE_XDM.ZIP or bare CDA) with what DMP filing needs. Never throws. */
public interface HealthDocumentReader {
    /** The patient INS as filing sees it. */
    enum InsCheck {
        VALID,
        MISSING,
        INVALID,
        INCOMPLETE
    }

    /**
     * One CDA document.
     *
     * @param metadata empty when the header could not be mapped (then {@code problem} says why)
     */
    record Document(String source, byte[] cda, Optional<byte[]> pdf, String typeCode, String typeCodeSystem, String title,
                    String documentId, Optional<DocumentMetadata> metadata, InsCheck ins, Optional<String> problem) {
    }

    /** Documents found, and problems that stopped a part from being read (e.g. a refused archive). */
    record Reading(List<Document> documents, List<String> problems) {
    }

    Reading read(MimeMessage message);
}
