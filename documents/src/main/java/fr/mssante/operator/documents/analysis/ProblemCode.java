package fr.mssante.operator.documents.analysis;

import java.util.Optional;

import fr.mssante.operator.documents.cda.CdaIssue;
import fr.mssante.operator.documents.cda.CdaRejection;
import fr.mssante.operator.documents.detect.DetectionIssue;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.documents.ins.InsStatus;
import fr.mssante.operator.documents.xdm.XdmIssue;
import fr.mssante.operator.documents.xdm.XdmRejection;
import fr.mssante.operator.documents.zip.ZipRejection;

/**
 * Every reason {@link HealthDocumentAnalyzer} can report, with its severity ({@link #blocking()}: the document or
 * package was not read, or cannot be filed/used as is) and the MSSanté integration error code to tell the sender, if
 * one applies. This is the one problem-to-code mapping: the mail pipeline never maps problems to codes itself (it
 * asks {@link AnalyzedDocument#integrationError()} / {@link DocumentAnalysis#unreadable()}). An INS whose OID belongs
 * to another environment (a test INS in production, a production INS in test) is 906: it is not an INS mismatch
 * (904, traits or matricule that differ from the INS known for the patient) but a document that cannot be used here.
 */
public enum ProblemCode {
    // MIME
    MIME_TOO_DEEP(true, IntegrationErrorCode.OTHER),
    MIME_TOO_MANY_PARTS(true, IntegrationErrorCode.OTHER),
    ATTACHMENT_TOO_LARGE(true, IntegrationErrorCode.OTHER),
    MIME_UNREADABLE_PART(true, IntegrationErrorCode.OTHER),
    OPAQUE_SMIME(false, null),
    // zip
    ZIP_BOMB(true, IntegrationErrorCode.OTHER),
    ZIP_ENTRY_TOO_LARGE(true, IntegrationErrorCode.OTHER),
    ZIP_TOTAL_TOO_LARGE(true, IntegrationErrorCode.OTHER),
    ZIP_TOO_MANY_ENTRIES(true, IntegrationErrorCode.OTHER),
    ZIP_PATH_TRAVERSAL(true, IntegrationErrorCode.OTHER),
    ZIP_INVALID_NAME(true, IntegrationErrorCode.OTHER),
    ZIP_DUPLICATE_ENTRY(true, IntegrationErrorCode.OTHER),
    ZIP_TRUNCATED(true, IntegrationErrorCode.OTHER),
    ZIP_ENCRYPTED(true, IntegrationErrorCode.OTHER),
    ZIP_CENTRAL_DIRECTORY_MISMATCH(true, IntegrationErrorCode.OTHER),
    ZIP_NOT_A_ZIP(true, IntegrationErrorCode.OTHER),
    ZIP_MALFORMED(true, IntegrationErrorCode.OTHER),
    // XDM
    XDM_NO_METADATA(true, IntegrationErrorCode.OTHER),
    XDM_METADATA_DOCTYPE_FORBIDDEN(true, IntegrationErrorCode.OTHER),
    XDM_METADATA_MALFORMED(true, IntegrationErrorCode.OTHER),
    XDM_NO_INDEX_HTM(false, null),
    XDM_NO_README_TXT(false, null),
    XDM_NO_DOCUMENT_ENTRY(true, IntegrationErrorCode.OTHER),
    XDM_URI_MISSING(true, IntegrationErrorCode.OTHER),
    XDM_URI_NOT_IN_ARCHIVE(true, IntegrationErrorCode.OTHER),
    XDM_HASH_MISMATCH(true, IntegrationErrorCode.OTHER),
    XDM_SIZE_MISMATCH(false, null),
    // CDA
    CDA_DOCTYPE_FORBIDDEN(true, IntegrationErrorCode.OTHER),
    CDA_MALFORMED_XML(true, IntegrationErrorCode.OTHER),
    CDA_NOT_CDA(true, IntegrationErrorCode.OTHER),
    CDA_TOO_DEEP(true, IntegrationErrorCode.OTHER),
    CDA_TOO_LARGE(true, IntegrationErrorCode.OTHER),
    CDA_UNREADABLE(true, IntegrationErrorCode.OTHER),
    CDA_NO_DOCUMENT_ID(true, IntegrationErrorCode.OTHER),
    CDA_NO_TYPE_CODE(true, IntegrationErrorCode.OTHER),
    CDA_SEVERAL_INS(false, null),
    CDA_PDF_BASE64_INVALID(true, IntegrationErrorCode.OTHER),
    CDA_PDF_NOT_PDF(true, IntegrationErrorCode.OTHER),
    CDA_PDF_NOT_INLINE(false, null),
    // cross-checks
    DOCUMENT_ID_MISMATCH(true, IntegrationErrorCode.OTHER),
    // INS
    INS_MISSING(true, IntegrationErrorCode.INS_MISSING),
    INS_INVALID_MATRICULE(true, IntegrationErrorCode.INS_MISMATCH),
    INS_WRONG_ENVIRONMENT(true, IntegrationErrorCode.OTHER),
    INS_INCOMPLETE(true, IntegrationErrorCode.INS_INCOMPLETE),
    /** The XDM metadata's patientId is not the CDA's INS. */
    INS_MISMATCH(true, IntegrationErrorCode.INS_MISMATCH),
    // anything unexpected (a bug): the analysis goes on with the other attachments
    INTERNAL_ERROR(true, IntegrationErrorCode.OTHER);

    private final boolean blocking;
    private final IntegrationErrorCode integrationError;

    ProblemCode(boolean blocking, IntegrationErrorCode integrationError) {
        this.blocking = blocking;
        this.integrationError = integrationError;
    }

    /** The document or package cannot be used as is (not read, unsafe, or not fileable). */
    public boolean blocking() {
        return blocking;
    }

    /** The MSSanté integration error to tell the sender, if this problem warrants one. */
    public Optional<IntegrationErrorCode> integrationError() {
        return Optional.ofNullable(integrationError);
    }

    static ProblemCode of(DetectionIssue.Code code) {
        return switch (code) {
            case TOO_DEEP -> MIME_TOO_DEEP;
            case TOO_MANY_PARTS -> MIME_TOO_MANY_PARTS;
            case ATTACHMENT_TOO_LARGE -> ATTACHMENT_TOO_LARGE;
            case UNREADABLE_PART -> MIME_UNREADABLE_PART;
            case OPAQUE_SMIME -> OPAQUE_SMIME;
        };
    }

    static ProblemCode of(ZipRejection reason) {
        return valueOf(reason.name().startsWith("ZIP_") ? reason.name() : "ZIP_" + reason.name());
    }

    static ProblemCode of(XdmRejection reason) {
        return valueOf("XDM_" + reason.name());
    }

    static ProblemCode of(XdmIssue.Code code) {
        return valueOf("XDM_" + code.name());
    }

    static ProblemCode of(CdaRejection reason) {
        return valueOf("CDA_" + reason.name());
    }

    static ProblemCode of(CdaIssue.Code code) {
        return valueOf("CDA_" + code.name());
    }

    static Optional<ProblemCode> of(InsStatus status) {
        return switch (status) {
            case QUALIFIED -> Optional.empty();
            case MISSING -> Optional.of(INS_MISSING);
            case INVALID_MATRICULE -> Optional.of(INS_INVALID_MATRICULE);
            case WRONG_ENVIRONMENT -> Optional.of(INS_WRONG_ENVIRONMENT);
            case INCOMPLETE -> Optional.of(INS_INCOMPLETE);
        };
    }
}
