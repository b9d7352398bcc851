package fr.mssante.operator.documents.cda;

/** A non-fatal finding in a CDA. {@code detail} is short English, never document content. */
public record CdaIssue(Code code, String detail) {
    public enum Code {
        /** No {@code id} in the header. */
        NO_DOCUMENT_ID,
        /** No {@code code} (the document type, XDS typeCode) in the header: required by CDA R2, needed for filing. */
        NO_TYPE_CODE,
        /** Several patient ids with an INS OID; the first is used. */
        SEVERAL_INS,
        /** A PDF media element whose text is not valid base64. */
        PDF_BASE64_INVALID,
        /** A PDF media element that does not decode to a PDF ({@code %PDF-}). */
        PDF_NOT_PDF,
        /** A PDF media element without inline data (a reference, or empty). */
        PDF_NOT_INLINE
    }
}
