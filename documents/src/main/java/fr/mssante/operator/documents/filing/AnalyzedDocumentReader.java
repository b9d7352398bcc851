package fr.mssante.operator.documents.filing;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import fr.mssante.operator.dmp.outbox.Code;
import fr.mssante.operator.dmp.outbox.DocumentAuthor;
import fr.mssante.operator.dmp.outbox.DocumentMetadata;
import fr.mssante.operator.dmp.outbox.Institution;
import fr.mssante.operator.dmp.outbox.PatientIdentity;
import fr.mssante.operator.documents.analysis.AnalyzedDocument;
import fr.mssante.operator.documents.analysis.DocumentAnalysis;
import fr.mssante.operator.documents.analysis.HealthDocumentAnalyzer;
import fr.mssante.operator.documents.analysis.Problem;
import fr.mssante.operator.documents.analysis.ProblemCode;
import fr.mssante.operator.documents.cda.CdaAuthor;
import fr.mssante.operator.documents.cda.CdaDocument;
import fr.mssante.operator.documents.cda.CodedValue;
import fr.mssante.operator.documents.cda.InstanceId;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.documents.ins.QualifiedIns;
import fr.mssante.operator.documents.replacement.ReplacementRequest;

/**
 * {@link HealthDocumentReader} over the documents library: {@link HealthDocumentAnalyzer} finds and checks the CDA
 * documents (XDM or bare), and their headers are mapped to the DMP outbox's XDS metadata.
 */
public final class AnalyzedDocumentReader implements HealthDocumentReader {
    private static final String CISIS_FORMAT_SCHEME = "1.2.250.1.213.1.1.4.2.282";
    private static final String IHE_FORMAT_SCHEME = "1.3.6.1.4.1.19376.1.2.3";
    private static final String CONFIDENTIALITY_SCHEME = "2.16.840.1.113883.5.25";

    private final HealthDocumentAnalyzer analyzer;
    private final Clock clock;

    /** @param clock the filing time of a document whose CDA has no {@code effectiveTime} */
    public AnalyzedDocumentReader(HealthDocumentAnalyzer analyzer, Clock clock) {
        this.analyzer = analyzer;
        this.clock = clock;
    }

    @Override
    public Reading read(MimeMessage message) {
        DocumentAnalysis analysis;
        try {
            analysis = analyzer.analyze(message);
        } catch (RuntimeException e) {
            return new Reading(List.of(), List.of(new Unreadable(ProblemCode.INTERNAL_ERROR.name(),
                ProblemCode.INTERNAL_ERROR.integrationError().orElseThrow())));
        }
        List<Document> documents = new ArrayList<>();
        for (AnalyzedDocument analyzed : analysis.documents()) {
            Optional<byte[]> cdaBytes = analyzed.content() == null || analyzed.content().isEmpty()
                ? Optional.empty() : Optional.of(analyzed.content().toByteArray());
            if (analyzed.cda().isEmpty() || cdaBytes.isEmpty()) {
                continue; // its refusal is in analysis.unreadable()
            }
            CdaDocument cda = analyzed.cda().get();
            String title = cda.title().orElse("document");
            String documentId = uniqueId(analyzed, cda);
            Optional<IntegrationErrorCode> error = analyzed.integrationError();
            Optional<String> problem = analyzed.problems().stream().filter(Problem::blocking).findFirst()
                .map(p -> p.code().name());
            Optional<DocumentMetadata> metadata = error.isEmpty()
                ? metadata(analyzed, cda, documentId, analyzed.ins().qualified().orElseThrow()) : Optional.empty();
            Optional<ReplacementRequest> replaces = cda.replaces().map(parent -> new ReplacementRequest(parent.asString(),
                cda.author().flatMap(CdaAuthor::nationalId).map(InstanceId::asString),
                cda.custodian().flatMap(c -> c.ids().stream().findFirst()).map(InstanceId::asString)));
            documents.add(new Document(analyzed.source().describe(), cdaBytes.get(),
                cda.pdfs().stream().findFirst().map(pdf -> pdf.content().toByteArray()),
                cda.code().map(CodedValue::code).orElse(null), cda.code().map(CodedValue::codeSystem).orElse(null), title,
                documentId, metadata, error, problem, replaces));
        }
        List<Unreadable> unreadable = analysis.unreadable().stream()
            .map(p -> new Unreadable(p.code().name(), p.code().integrationError().orElse(IntegrationErrorCode.OTHER))).toList();
        return new Reading(documents, unreadable);
    }

    private static String uniqueId(AnalyzedDocument analyzed, CdaDocument cda) {
        return analyzed.xdmEntry().flatMap(entry -> entry.uniqueId())
            .or(() -> cda.id().map(id -> id.extension().map(extension -> id.root() + "^" + extension).orElse(id.root())))
            .orElse("unknown");
    }

    private Optional<DocumentMetadata> metadata(AnalyzedDocument analyzed, CdaDocument cda, String documentId, QualifiedIns ins) {
        if (cda.code().isEmpty()) {
            return Optional.empty();
        }
        CodedValue type = cda.code().get();
        String format = analyzed.xdmEntry().flatMap(entry -> entry.formatCode()).map(code -> code.code())
            .or(analyzed::formatCode).orElse("urn:ihe:iti:xds-sd:pdf:2008");
        String formatScheme = analyzed.xdmEntry().flatMap(entry -> entry.formatCode()).map(code -> code.codingScheme())
            .orElse(format.startsWith("urn:ihe") ? IHE_FORMAT_SCHEME : CISIS_FORMAT_SCHEME);
        Code confidentiality = cda.confidentialityCode().map(AnalyzedDocumentReader::code)
            .orElse(new Code("N", CONFIDENTIALITY_SCHEME, "Normal"));
        Optional<CdaAuthor> author = cda.author();
        DocumentAuthor documentAuthor = author.map(a -> new DocumentAuthor(a.nationalId().map(InstanceId::asString).orElse(null),
            a.familyName().orElse(null), a.givenName().orElse(null), a.profession().map(AnalyzedDocumentReader::code).orElse(null),
            null)).orElse(null);
        Institution institution = cda.custodian().map(custodian -> new Institution(custodian.name().orElse(null),
            custodian.ids().stream().findFirst().map(InstanceId::asString).orElse(null))).orElse(null);
        PatientIdentity patient = new PatientIdentity(ins.matricule(), ins.oid().oid(), ins.birthFamilyName(),
            ins.birthGivenNames(), ins.birthDate(), ins.sex().code());
        return Optional.of(new DocumentMetadata(documentId, cda.setId().map(InstanceId::asString).orElse(null),
            cda.title().orElse(null), code(type), new Code(format, formatScheme, null), confidentiality,
            cda.languageCode().orElse("fr-FR"), cda.effectiveTime().flatMap(AnalyzedDocumentReader::instant).orElseGet(clock::instant),
            null, null, patient, documentAuthor, institution));
    }

    private static Code code(CodedValue value) {
        return new Code(value.code(), value.codeSystem(), value.displayName().orElse(null));
    }

    /** HL7 TS: yyyyMMdd[HHmm[ss]][+zzzz]. */
    static Optional<Instant> instant(String ts) {
        try {
            String digits = ts.replaceAll("[^0-9+-].*$", "");
            String offset = "+0000";
            int sign = Math.max(digits.indexOf('+'), digits.indexOf('-'));
            if (sign > 0) {
                offset = digits.substring(sign);
                digits = digits.substring(0, sign);
            }
            digits = digits.length() >= 14 ? digits.substring(0, 14) : (digits + "00000000000000".substring(digits.length()));
            if (digits.length() == 14 && digits.substring(8).equals("000000") && ts.length() <= 8) {
                return Optional.of(LocalDate.parse(digits.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            return Optional.of(LocalDateTime.parse(digits, DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                .toInstant(ZoneOffset.of(offset.substring(0, 3) + ":" + offset.substring(3, 5))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
