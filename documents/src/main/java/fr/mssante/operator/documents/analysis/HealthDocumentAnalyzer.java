package fr.mssante.operator.documents.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.mail.Part;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.documents.cda.CdaDocument;
import fr.mssante.operator.documents.cda.CdaIssue;
import fr.mssante.operator.documents.cda.CdaParser;
import fr.mssante.operator.documents.cda.CdaPatient;
import fr.mssante.operator.documents.cda.CdaRejectedException;
import fr.mssante.operator.documents.cda.InstanceId;
import fr.mssante.operator.documents.content.Content;
import fr.mssante.operator.documents.detect.AttachmentDetector;
import fr.mssante.operator.documents.detect.Detection;
import fr.mssante.operator.documents.detect.DetectionIssue;
import fr.mssante.operator.documents.detect.FoundAttachment;
import fr.mssante.operator.documents.ins.InsCandidate;
import fr.mssante.operator.documents.ins.InsOid;
import fr.mssante.operator.documents.ins.InsStatus;
import fr.mssante.operator.documents.ins.InsValidator;
import fr.mssante.operator.documents.ins.InsVerdict;
import fr.mssante.operator.documents.xdm.CxIdentifier;
import fr.mssante.operator.documents.xdm.XdmDocumentEntry;
import fr.mssante.operator.documents.xdm.XdmIssue;
import fr.mssante.operator.documents.xdm.XdmPackage;
import fr.mssante.operator.documents.xdm.XdmReader;
import fr.mssante.operator.documents.xdm.XdmRejectedException;
import fr.mssante.operator.documents.zip.SafeUnzipper;
import fr.mssante.operator.documents.zip.UnzippedArchive;
import fr.mssante.operator.documents.zip.ZipRejectedException;

/**
 * One call for the mail server: finds the health documents of a message ({@link AttachmentDetector}), opens
 * {@code IHE_XDM.ZIP} packages safely ({@link SafeUnzipper}, {@link XdmReader}), parses every CDA ({@link CdaParser}),
 * judges its INS ({@link InsValidator}) and cross-checks the XDM metadata against the CDA (patientId = INS, uniqueId
 * = CDA id). Every refusal or finding is a typed {@link Problem}; nothing is thrown, whatever the input (an
 * unexpected runtime error becomes {@link ProblemCode#INTERNAL_ERROR} and the other attachments are still analysed).
 * Logs at DEBUG only counts and problem codes, never content, INS or traits. Stateless and thread-safe.
 */
public final class HealthDocumentAnalyzer {
    private static final Logger LOG = LoggerFactory.getLogger(HealthDocumentAnalyzer.class);

    private final AttachmentDetector detector;
    private final SafeUnzipper unzipper;
    private final XdmReader xdmReader;
    private final CdaParser cdaParser;
    private final InsValidator insValidator;

    public HealthDocumentAnalyzer(AnalyzerSettings settings) {
        this.detector = new AttachmentDetector(settings.detection());
        this.unzipper = new SafeUnzipper(settings.zip());
        this.xdmReader = new XdmReader(settings.metadata());
        this.cdaParser = new CdaParser(settings.cda());
        this.insValidator = new InsValidator(settings.environment());
    }

    /** Analyses a message (a {@code MimeMessage}) or any MIME part. */
    public DocumentAnalysis analyze(Part message) {
        List<AnalyzedDocument> documents = new ArrayList<>();
        List<AttachmentSummary> summaries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try {
            Detection detection = detector.detect(message);
            for (DetectionIssue issue : detection.issues()) {
                problems.add(new Problem(ProblemCode.of(issue.code()), issue.partPath(), issue.detail()));
            }
            for (FoundAttachment attachment : detection.attachments()) {
                summaries.add(new AttachmentSummary(attachment.kind(), attachment.filename(), attachment.partPath(),
                    attachment.content().size()));
                String name = attachment.filename().orElse("part " + attachment.partPath());
                try {
                    switch (attachment.kind()) {
                        case XDM_ZIP -> xdm(attachment, name, documents, problems);
                        case CDA -> documents.add(cda(new DocumentSource(DocumentSource.Kind.BARE_ATTACHMENT, name, attachment.partPath(),
                            Optional.empty()), attachment.content(), Optional.empty(), problems));
                        default -> {
                            // a PDF beside the documents: listed in the summaries
                        }
                    }
                } catch (RuntimeException | StackOverflowError e) {
                    problems.add(new Problem(ProblemCode.INTERNAL_ERROR, name, e.getClass().getSimpleName()));
                }
            }
        } catch (RuntimeException | StackOverflowError e) {
            problems.add(new Problem(ProblemCode.INTERNAL_ERROR, "", e.getClass().getSimpleName()));
        }
        DocumentAnalysis analysis = new DocumentAnalysis(documents, summaries, problems);
        if (LOG.isDebugEnabled()) {
            LOG.debug("health documents: {} attachment(s), {} CDA, INS header {}, problems {}", summaries.size(), documents.size(),
                analysis.insHeader(), problems.stream().map(p -> p.code().name()).toList());
        }
        return analysis;
    }

    private void xdm(FoundAttachment attachment, String name, List<AnalyzedDocument> documents, List<Problem> problems) {
        UnzippedArchive archive;
        try {
            archive = unzipper.unzip(attachment.content());
        } catch (ZipRejectedException e) {
            problems.add(new Problem(ProblemCode.of(e.reason()), name, e.getMessage()));
            return;
        }
        XdmPackage xdm;
        try {
            xdm = xdmReader.read(archive);
        } catch (XdmRejectedException e) {
            problems.add(new Problem(ProblemCode.of(e.reason()), name, e.getMessage()));
            return;
        }
        for (XdmIssue issue : xdm.issues()) {
            problems.add(new Problem(ProblemCode.of(issue.code()), name + "!" + issue.where(), issue.detail()));
        }
        for (XdmDocumentEntry entry : xdm.documents()) {
            if (entry.archiveEntry().isEmpty() || !isXml(entry)) {
                continue;
            }
            DocumentSource source = new DocumentSource(DocumentSource.Kind.XDM_ENTRY, name, attachment.partPath(),
                Optional.of(entry.archiveEntry().get().name()));
            documents.add(cda(source, entry.archiveEntry().get().content(), Optional.of(entry), problems));
        }
    }

    private static boolean isXml(XdmDocumentEntry entry) {
        String type = entry.mimeType().toLowerCase(Locale.ROOT);
        String file = entry.archiveEntry().map(e -> e.name().toLowerCase(Locale.ROOT)).orElse("");
        return type.equals("text/xml") || type.equals("application/xml") || type.endsWith("+xml") || file.endsWith(".xml");
    }

    private AnalyzedDocument cda(DocumentSource source, Content content, Optional<XdmDocumentEntry> xdmEntry, List<Problem> all) {
        String where = source.describe();
        List<Problem> own = new ArrayList<>();
        CdaDocument cda;
        try {
            cda = cdaParser.parse(content);
        } catch (CdaRejectedException e) {
            own.add(new Problem(ProblemCode.of(e.reason()), where, e.getMessage()));
            all.addAll(own);
            InsVerdict unknown = new InsVerdict(InsStatus.MISSING, Optional.empty(), Optional.empty(), List.of(), "CDA not parsed");
            return new AnalyzedDocument(source, Optional.empty(), xdmEntry, unknown, false,
                xdmEntry.flatMap(XdmDocumentEntry::formatCode).map(c -> c.code()), own, content);
        }
        for (CdaIssue issue : cda.issues()) {
            own.add(new Problem(ProblemCode.of(issue.code()), where, issue.detail()));
        }
        InsVerdict verdict = insValidator.validate(cda.patient().map(CdaPatient::insCandidate).orElse(InsCandidate.none()));
        ProblemCode.of(verdict.status()).ifPresent(code -> own.add(new Problem(code, where, verdict.detail())));
        xdmEntry.ifPresent(entry -> crossCheck(entry, cda, where, own));
        Optional<String> formatCode = xdmEntry.flatMap(XdmDocumentEntry::formatCode).map(c -> c.code()).or(cda::formatCode);
        all.addAll(own);
        return new AnalyzedDocument(source, Optional.of(cda), xdmEntry, verdict, cda.hasPdf(), formatCode, own, content);
    }

    private static void crossCheck(XdmDocumentEntry entry, CdaDocument cda, String where, List<Problem> problems) {
        Optional<InstanceId> ins = cda.patient().flatMap(CdaPatient::ins);
        Optional<CxIdentifier> patientId = entry.patientId();
        if (ins.isPresent() && patientId.isPresent() && InsOid.of(patientId.get().authorityOid()).isPresent()) {
            boolean sameId = ins.get().extension().map(e -> e.equalsIgnoreCase(patientId.get().id())).orElse(false);
            boolean sameAuthority = ins.get().root().equals(patientId.get().authorityOid());
            if (!sameId || !sameAuthority) {
                problems.add(new Problem(ProblemCode.INS_MISMATCH, where, "XDM patientId is not the CDA's INS"));
            }
        }
        if (entry.uniqueId().isPresent() && cda.id().isPresent() && !entry.uniqueId().get().equals(cda.id().get().asString())) {
            problems.add(new Problem(ProblemCode.DOCUMENT_ID_MISMATCH, where, "XDM uniqueId is not the CDA id"));
        }
    }
}
