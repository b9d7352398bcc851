package fr.mssante.operator.documents.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.documents.ins.Environment;
import fr.mssante.operator.documents.testing.HostileXml;
import fr.mssante.operator.documents.testing.HostileZips;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;

/**
 * Each hostile IHE_XDM.ZIP of issue 12 #14 at the size the issue names is bounded by the documents library (refused
 * quickly, without inflating, expanding or recursing), reported by {@link DocumentAnalysis#unreadable()} with the
 * problem that stopped it, and mapped to the ANS code the sender is told: 906 (none of 900–905 describes an
 * unreadable package).
 */
class HostilePackagesTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private final HealthDocumentAnalyzer analyzer = new HealthDocumentAnalyzer(AnalyzerSettings.defaults(Environment.TEST));

    private static byte[] xdmWithMetadata(String metadata) {
        return TestDocuments.zip(Map.of("IHE_XDM/SUBSET01/METADATA.XML", metadata.getBytes(StandardCharsets.UTF_8),
            "IHE_XDM/SUBSET01/DOC0001.XML", TestDocuments.cda().bytes()));
    }

    private static String metadata() {
        return TestDocuments.metadata(List.of(XdmDocument.cda("DOC0001.XML", TestDocuments.cda())), false);
    }

    private static byte[] xdmOf(byte[] cda) {
        return TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", TestDocuments.cda(), cda)), false);
    }

    private void refused(byte[] zip, ProblemCode expected) {
        MimeMessage message = TestDocuments.message("XDM/1.0/DDM+CR", TestDocuments.attachment(zip, "IHE_XDM.ZIP", "application/zip"));
        DocumentAnalysis analysis = assertTimeoutPreemptively(BOUND, () -> analyzer.analyze(message));
        assertThat(analysis.unreadable()).extracting(Problem::code).containsExactly(expected);
        assertThat(analysis.documents()).noneMatch(AnalyzedDocument::usable);
        assertThat(analysis.integrationError()).contains(IntegrationErrorCode.OTHER);
    }

    @Test
    void aZipBombIsStoppedWhileInflating() {
        refused(HostileZips.bomb("IHE_XDM/SUBSET01/DOC0001.XML", 1L << 30), ProblemCode.ZIP_BOMB);
    }

    @Test
    void aZipSlipEntryIsRefused() {
        refused(HostileZips.named("IHE_XDM/SUBSET01/../../../etc/cron.d/evil"), ProblemCode.ZIP_PATH_TRAVERSAL);
        refused(HostileZips.named("/etc/passwd"), ProblemCode.ZIP_PATH_TRAVERSAL);
    }

    @Test
    void tenThousandEntriesAreRefusedBeforeInflating() {
        refused(HostileZips.manyEntries(10_000), ProblemCode.ZIP_TOO_MANY_ENTRIES);
    }

    @Test
    void aTruncatedArchiveIsRefused() {
        byte[] zip = TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", TestDocuments.cda())), false);
        refused(Arrays.copyOf(zip, zip.length - 30), ProblemCode.ZIP_TRUNCATED);
    }

    @Test
    void xxeIsRefusedInTheCdaAndInTheMetadata() {
        refused(xdmOf(TestDocuments.cda().withProlog(HostileXml.xxe("ClinicalDocument")).bytes()), ProblemCode.CDA_DOCTYPE_FORBIDDEN);
        refused(xdmWithMetadata(metadata().replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
            "<?xml version=\"1.0\"?>\n" + HostileXml.xxe("lcm:SubmitObjectsRequest") + "\n")), ProblemCode.XDM_METADATA_DOCTYPE_FORBIDDEN);
    }

    @Test
    void billionLaughsIsRefusedInTheCdaAndInTheMetadata() {
        refused(xdmOf(TestDocuments.cda().withProlog(HostileXml.billionLaughs("ClinicalDocument")).bytes()),
            ProblemCode.CDA_DOCTYPE_FORBIDDEN);
        refused(xdmWithMetadata(metadata().replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                "<?xml version=\"1.0\"?>\n" + HostileXml.billionLaughs("lcm:SubmitObjectsRequest") + "\n")),
            ProblemCode.XDM_METADATA_DOCTYPE_FORBIDDEN);
    }

    @Test
    void aHundredThousandLevelsOfNestingAreRefusedInTheCdaHeaderBodyAndMetadata() {
        int levels = 100_000;
        String header = TestDocuments.cda().xml().replace("<title>Compte rendu de test</title>",
            "<title>" + "<a>".repeat(levels) + "</a>".repeat(levels) + "</title>");
        refused(xdmOf(header.getBytes(StandardCharsets.UTF_8)), ProblemCode.CDA_TOO_DEEP);
        String body = TestDocuments.cda().withBody(TestDocuments.Cda.Body.STRUCTURED_NO_PDF, null).xml()
            .replace("<text>TSH", "<text>" + "<b>".repeat(levels) + "</b>".repeat(levels) + "TSH");
        refused(xdmOf(body.getBytes(StandardCharsets.UTF_8)), ProblemCode.CDA_TOO_DEEP);
        String deepMetadata = metadata().replace("</lcm:SubmitObjectsRequest>",
            "<x>".repeat(levels) + "</x>".repeat(levels) + "</lcm:SubmitObjectsRequest>");
        refused(xdmWithMetadata(deepMetadata), ProblemCode.XDM_METADATA_MALFORMED);
    }
}
