package fr.mssante.operator.healthspace.mailbox;

import java.util.Locale;

/** An attachment of a message: its position among the attachments, its name, type and size in bytes (-1: unknown). */
public record AttachmentInfo(int index, String fileName, String contentType, long size) {
    public boolean pdf() {
        return contentType.startsWith("application/pdf") || fileName.toLowerCase(Locale.ROOT).endsWith(".pdf");
    }

    /** An XML attachment, possibly a CDA document (checked when it is rendered). */
    public boolean xml() {
        return contentType.contains("xml") || fileName.toLowerCase(Locale.ROOT).endsWith(".xml");
    }
}
