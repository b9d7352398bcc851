package fr.mssante.operator.documents.detect;

/** Something the detector could not look into. {@code detail} is short English without content. */
public record DetectionIssue(Code code, String partPath, String detail) {
    public enum Code {
        /** Multipart nesting beyond the limit: the deeper parts were not inspected. */
        TOO_DEEP,
        /** More parts than the limit: the rest were not inspected. */
        TOO_MANY_PARTS,
        /** A candidate attachment larger than the limit. */
        ATTACHMENT_TOO_LARGE,
        /** A part whose headers or body (transfer encoding) cannot be decoded. */
        UNREADABLE_PART,
        /** An opaque S/MIME part (signed or encrypted {@code application/pkcs7-mime}) the detector cannot look into. */
        OPAQUE_SMIME
    }
}
