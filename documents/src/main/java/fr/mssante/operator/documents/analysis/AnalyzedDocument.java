package fr.mssante.operator.documents.analysis;

import java.util.List;
import java.util.Optional;

import fr.mssante.operator.documents.cda.CdaDocument;
import fr.mssante.operator.documents.content.Content;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.documents.ins.InsVerdict;
import fr.mssante.operator.documents.xdm.XdmDocumentEntry;

/**
 * One CDA found in the message.
 *
 * @param source      where it came from
 * @param cda         its header and PDFs, when it parsed
 * @param xdmEntry    its XDM document entry (XDM only)
 * @param ins         the INS verdict for this deployment's environment
 * @param pdfEmbedded the CDA carries a PDF ({@code %PDF-}) in {@code nonXMLBody} or {@code observationMedia}
 * @param formatCode  XDS formatCode: the XDM metadata's, else the one the CDA templateIds declare
 * @param problems    this document's problems (also listed in {@link DocumentAnalysis#problems()})
 * @param content     the CDA bytes as received (the archive entry or the attachment), e.g. for DMP filing
 */
public record AnalyzedDocument(DocumentSource source, Optional<CdaDocument> cda, Optional<XdmDocumentEntry> xdmEntry, InsVerdict ins,
                               boolean pdfEmbedded, Optional<String> formatCode, List<Problem> problems,
                               Content content) {
    public AnalyzedDocument {
        problems = List.copyOf(problems);
    }

    /**
     * The MSSanté integration error to tell the sender about this document: the lowest ANS code among its blocking
     * problems ({@link ProblemCode#integrationError()}, the only problem-to-code mapping), empty when it is fit for
     * filing. A document that did not parse and has no coded problem is {@code 906}.
     */
    public Optional<IntegrationErrorCode> integrationError() {
        Optional<IntegrationErrorCode> lowest = IntegrationErrors.lowest(problems);
        if (lowest.isEmpty() && !usable()) {
            return Optional.of(IntegrationErrorCode.OTHER);
        }
        return lowest;
    }

    /** Parsed, qualified INS, no blocking problem: fit for DMP filing. */
    public boolean usable() {
        return cda.isPresent() && ins.isQualified() && problems.stream().noneMatch(Problem::blocking);
    }
}
