package fr.mssante.operator.documents.analysis;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import fr.mssante.operator.documents.cda.CdaDocument;
import fr.mssante.operator.documents.cda.CodedValue;
import fr.mssante.operator.documents.detect.AttachmentKind;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;

/**
 * Everything the mail server needs to decide about a message's health documents, in one value.
 *
 * @param documents   each CDA found (in XDM packages and as bare attachments)
 * @param attachments the health attachments seen (XDM zips, bare CDAs, PDFs)
 * @param problems    every problem, document-level ones included
 */
public record DocumentAnalysis(List<AnalyzedDocument> documents, List<AttachmentSummary> attachments, List<Problem> problems) {
    public DocumentAnalysis {
        documents = List.copyOf(documents);
        attachments = List.copyOf(attachments);
        problems = List.copyOf(problems);
    }

    /** An XDM package or a CDA was attached. */
    public boolean hasHealthDocuments() {
        return attachments.stream().anyMatch(a -> a.kind() != AttachmentKind.PDF);
    }

    public boolean hasBlockingProblem() {
        return problems.stream().anyMatch(Problem::blocking);
    }

    public boolean has(ProblemCode code) {
        return problems.stream().anyMatch(p -> p.code() == code);
    }

    public List<Problem> problems(ProblemCode code) {
        return problems.stream().filter(p -> p.code() == code).toList();
    }

    /** Value of {@code X-MSS-INS}: {@code O} when there is at least one CDA and every CDA has a qualified INS. */
    public String insHeader() {
        return !documents.isEmpty() && documents.stream().allMatch(d -> d.ins().isQualified()) ? "O" : "N";
    }

    /** The CDA {@code code}s, for {@code X-MSS-CODECDA} (comma-separated by the caller); distinct, in order. */
    public List<String> cdaCodes() {
        return documents.stream().map(AnalyzedDocument::cda).flatMap(Optional::stream).map(CdaDocument::code)
            .flatMap(Optional::stream).map(CodedValue::code).distinct().toList();
    }

    /** The integration error to tell the sender: the lowest ANS code among blocking problems, if any. */
    public Optional<IntegrationErrorCode> integrationError() {
        return IntegrationErrors.lowest(problems);
    }

    /**
     * Blocking problems that stopped a health attachment (or a part that may hold one) from being read at all: a
     * refused archive (zip bomb, zip slip, too many entries, truncated…), a refused METADATA.XML or CDA (DTD, XXE,
     * billion laughs, nesting too deep, malformed), a MIME structure beyond the limits, an internal error. These
     * have no parsed document to name; their code is {@link ProblemCode#integrationError()} (906 for all of them).
     */
    public List<Problem> unreadable() {
        Set<Problem> ofParsedDocuments = new HashSet<>();
        documents.stream().filter(d -> d.cda().isPresent()).forEach(d -> ofParsedDocuments.addAll(d.problems()));
        return problems.stream().filter(Problem::blocking).filter(p -> !ofParsedDocuments.contains(p)).toList();
    }
}
