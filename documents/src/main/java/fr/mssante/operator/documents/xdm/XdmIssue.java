package fr.mssante.operator.documents.xdm;

/**
 * A non-fatal finding in an XDM package.
 *
 * @param code   what
 * @param where  the subset folder or document entry concerned
 * @param detail short English detail, no content
 */
public record XdmIssue(Code code, String where, String detail) {
    public enum Code {
        /** No {@code INDEX.HTM} at the archive root (required by ITI-32). */
        NO_INDEX_HTM,
        /** No {@code README.TXT} at the archive root (required by ITI-32). */
        NO_README_TXT,
        /** A METADATA.XML without any XDSDocumentEntry. */
        NO_DOCUMENT_ENTRY,
        /** A document entry without a URI slot. */
        URI_MISSING,
        /** A URI that names no archive entry. */
        URI_NOT_IN_ARCHIVE,
        /** The hash slot differs from the SHA-1 of the entry. */
        HASH_MISMATCH,
        /** The size slot differs from the entry's size. */
        SIZE_MISMATCH
    }
}
