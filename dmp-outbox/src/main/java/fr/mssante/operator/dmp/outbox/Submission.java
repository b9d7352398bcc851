package fr.mssante.operator.dmp.outbox;

import java.util.Objects;

/**
 * One document to file into the DMP, as enqueued by the mail server.
 *
 * <p>The byte arrays are not copied (documents may be large): do not modify them after enqueueing.
 *
 * @param messageId the RFC 5322 Message-ID of the message that carried the document
 * @param mailbox the submitting mailbox address
 * @param senderNationalId the sender's national id (IdNat_PS), may be null
 * @param mimeType the document's MIME type (e.g. {@code text/xml} for a CDA)
 * @param document the document bytes (the CDA XML)
 * @param pdfRendering an optional PDF rendering, may be null
 * @param metadata the XDS metadata already extracted by the mail server
 */
public record Submission(String messageId, String mailbox, String senderNationalId, String mimeType,
                         byte[] document, byte[] pdfRendering, DocumentMetadata metadata) {
    public Submission {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(metadata, "metadata");
    }

    /** Never the document content nor the patient in logs. */
    @Override
    public String toString() {
        return "Submission[messageId=" + messageId + ", document=" + metadata.documentUniqueId() + ", "
            + document.length + " bytes]";
    }
}
