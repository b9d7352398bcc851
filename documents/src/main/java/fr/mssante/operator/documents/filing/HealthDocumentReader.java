package fr.mssante.operator.documents.filing;

import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import fr.mssante.operator.dmp.outbox.DocumentMetadata;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.documents.replacement.ReplacementRequest;

/**
 * Finds the CDA documents of a message (IHE_XDM.ZIP or bare CDA) with what DMP filing needs. Never throws. The
 * integration error codes come from the documents library's one mapping; this interface never maps problems itself.
 */
public interface HealthDocumentReader {
    /**
     * One CDA document that parsed.
     *
     * @param metadata  present only when the document is fit for filing ({@code error} empty)
     * @param error     the integration error to tell the sender, when the document cannot be filed
     * @param problem   the problem behind {@code error} (codes, no content)
     * @param replaces  the replacement this version requests ({@code relatedDocument RPLC}), if any
     */
    record Document(String source, byte[] cda, Optional<byte[]> pdf, String typeCode, String typeCodeSystem, String title,
                    String documentId, Optional<DocumentMetadata> metadata, Optional<IntegrationErrorCode> error,
                    Optional<String> problem, Optional<ReplacementRequest> replaces) {
    }

    /**
     * A health attachment (or a part that may hold one) that could not be read at all: a refused package or CDA.
     *
     * @param problemCode the library's problem code (e.g. {@code ZIP_BOMB}), safe to log and audit
     * @param error       the integration error to tell the sender (the library's mapping)
     */
    record Unreadable(String problemCode, IntegrationErrorCode error) {
    }

    /** Documents found, and the parts that could not be read. */
    record Reading(List<Document> documents, List<Unreadable> unreadable) {
    }

    Reading read(MimeMessage message);
}
