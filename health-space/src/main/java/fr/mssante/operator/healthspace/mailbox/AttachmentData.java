package fr.mssante.operator.healthspace.mailbox;

/** An attachment's bytes, for a download or a rendering. */
public record AttachmentData(AttachmentInfo info, byte[] bytes) {
}
