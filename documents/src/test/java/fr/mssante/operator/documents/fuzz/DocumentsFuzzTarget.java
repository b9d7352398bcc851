package fr.mssante.operator.documents.fuzz;

import java.nio.charset.StandardCharsets;

import javax.mail.internet.MimeMessage;

import fr.mssante.operator.documents.analysis.AnalyzerSettings;
import fr.mssante.operator.documents.analysis.DocumentAnalysis;
import fr.mssante.operator.documents.analysis.HealthDocumentAnalyzer;
import fr.mssante.operator.documents.cda.CdaDocument;
import fr.mssante.operator.documents.cda.CdaParser;
import fr.mssante.operator.documents.cda.CdaRejectedException;
import fr.mssante.operator.documents.cda.CdaSniffer;
import fr.mssante.operator.documents.content.Content;
import fr.mssante.operator.documents.ins.Environment;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.xdm.XdmPackage;
import fr.mssante.operator.documents.xdm.XdmReader;
import fr.mssante.operator.documents.xdm.XdmRejectedException;
import fr.mssante.operator.documents.xml.XmlLimits;
import fr.mssante.operator.documents.zip.SafeUnzipper;
import fr.mssante.operator.documents.zip.UnzippedArchive;
import fr.mssante.operator.documents.zip.ZipLimits;
import fr.mssante.operator.documents.zip.ZipRejectedException;

/**
 * The documents module's entry points on one input: as a zip (unzip → XDM → every CDA entry), as a CDA, as XDM
 * metadata, as an attachment analysed by the facade (IHE_XDM.ZIP and XML), and as a whole MIME message. Only the
 * declared typed refusals ({@link ZipRejectedException}, {@link XdmRejectedException}, {@link CdaRejectedException})
 * may come out of the libraries, and nothing at all out of {@link HealthDocumentAnalyzer}; any other exception is a
 * finding. Limits are smaller than the defaults so that fuzzing stays fast.
 */
public final class DocumentsFuzzTarget {
    private static final ZipLimits ZIP = new ZipLimits(200, 8L << 20, 4L << 20, 100, 64 * 1024, 256);
    private static final SafeUnzipper UNZIPPER = new SafeUnzipper(ZIP);
    private static final XdmReader XDM = new XdmReader(new XmlLimits(64, 20_000, 1 << 20));
    private static final CdaParser CDA = new CdaParser();
    private static final HealthDocumentAnalyzer ANALYZER = new HealthDocumentAnalyzer(
        AnalyzerSettings.defaults(Environment.TEST).withZip(ZIP));

    private DocumentsFuzzTarget() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        zip(data);
        cda(data);
        message(data);
    }

    /** Unzip, read as XDM, parse each CDA entry. */
    static void zip(byte[] data) {
        UnzippedArchive archive;
        try {
            archive = UNZIPPER.unzip(Content.copyOf(data));
        } catch (ZipRejectedException refused) {
            requireReason(refused.reason());
            return;
        }
        XdmPackage xdm;
        try {
            xdm = XDM.read(archive);
        } catch (XdmRejectedException refused) {
            requireReason(refused.reason());
            return;
        }
        xdm.documents().forEach(entry -> entry.archiveEntry().ifPresent(e -> cdaOf(e.content())));
    }

    /** As a CDA (parser and sniffer) and as XDM metadata in an archive. */
    static void cda(byte[] data) {
        Content content = Content.copyOf(data);
        CdaSniffer.isCda(content);
        cdaOf(content);
        byte[] archive = TestDocuments.zip(java.util.Map.of("IHE_XDM/SUBSET01/METADATA.XML", data));
        try {
            XDM.read(UNZIPPER.unzip(Content.copyOf(archive)));
        } catch (ZipRejectedException | XdmRejectedException refused) {
            requireReason(refused instanceof ZipRejectedException z ? z.reason() : ((XdmRejectedException) refused).reason());
        }
    }

    /** The facade on the input as IHE_XDM.ZIP, as an XML attachment, and as a whole message. */
    static void message(byte[] data) {
        MimeMessage attached = TestDocuments.message("XDM/1.0/DDM+FUZZ",
            TestDocuments.attachment(data, "IHE_XDM.ZIP", "application/zip"),
            TestDocuments.attachment(data, "CR.XML", "text/xml"));
        requireAnalysis(ANALYZER.analyze(attached));
        MimeMessage whole = parse(data);
        if (whole != null) {
            requireAnalysis(ANALYZER.analyze(whole));
        }
    }

    private static void cdaOf(Content content) {
        try {
            CdaDocument document = CDA.parse(content);
            if (document.body() == null || document.issues() == null) {
                throw new IllegalStateException("incomplete CDA result");
            }
        } catch (CdaRejectedException refused) {
            requireReason(refused.reason());
        }
    }

    private static void requireAnalysis(DocumentAnalysis analysis) {
        if (analysis == null || analysis.problems().stream().anyMatch(p -> p.code() == null)) {
            throw new IllegalStateException("analysis without typed problems");
        }
        if (analysis.problems().stream().anyMatch(p -> p.code().name().equals("INTERNAL_ERROR"))) {
            throw new IllegalStateException("INTERNAL_ERROR: " + analysis.problems());
        }
    }

    private static void requireReason(Object reason) {
        if (reason == null) {
            throw new IllegalStateException("refusal without a reason");
        }
    }

    /** Parsing is James's job, before our code runs: a message it cannot parse never reaches us. */
    private static MimeMessage parse(byte[] data) {
        try {
            MimeMessage message = TestDocuments.parse(data);
            message.getContentType();
            return message;
        } catch (Exception e) {
            return null;
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
