package fr.mssante.operator.documents.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import fr.mssante.operator.documents.cda.EmbeddedPdf;
import fr.mssante.operator.documents.detect.AttachmentKind;
import fr.mssante.operator.documents.feedback.IntegrationErrorCode;
import fr.mssante.operator.documents.ins.Environment;
import fr.mssante.operator.documents.ins.InsStatus;
import fr.mssante.operator.documents.testing.HostileXml;
import fr.mssante.operator.documents.testing.HostileZips;
import fr.mssante.operator.documents.testing.SharedFixtures;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;

class HealthDocumentAnalyzerTest {
    private final HealthDocumentAnalyzer analyzer = new HealthDocumentAnalyzer(AnalyzerSettings.defaults(Environment.TEST));
    private final byte[] pdf = TestDocuments.pdf("beside");

    private DocumentAnalysis analyzeXdm(byte[] zip) {
        MimeMessage message = TestDocuments.message("XDM/1.0/DDM+CR TEST", TestDocuments.attachment(zip, "IHE_XDM.ZIP", "application/zip"),
            TestDocuments.attachment(pdf, "20261123_CR_TEST.pdf", "application/pdf"));
        DocumentAnalysis[] analysis = new DocumentAnalysis[1];
        assertThatCode(() -> analysis[0] = analyzer.analyze(message)).doesNotThrowAnyException();
        return analysis[0];
    }

    private DocumentAnalysis analyzeBare(byte[] cda) {
        MimeMessage message = TestDocuments.message("CR", TestDocuments.attachment(cda, "CR.XML", "text/xml"));
        DocumentAnalysis[] analysis = new DocumentAnalysis[1];
        assertThatCode(() -> analysis[0] = analyzer.analyze(message)).doesNotThrowAnyException();
        return analysis[0];
    }

    private static byte[] xdmOf(TestDocuments.Cda cda) {
        return TestDocuments.xdmZip("SUBSET01", List.of(XdmDocument.cda("DOC0001.XML", cda)), false);
    }

    private static void assertOnly(DocumentAnalysis analysis, ProblemCode code) {
        assertThat(analysis.problems()).extracting(Problem::code).containsExactly(code);
        assertThat(analysis.hasBlockingProblem()).isEqualTo(code.blocking());
    }

    /** The ANS examples (shared/fixtures/cda, from ansforge/TestContenuCDA-3-0) wrapped in XDM packages, one per message. */
    @ParameterizedTest
    @CsvSource({
        "DOC_NON_STRUCTURE_CDA-R2-N1.xml,          1.3.6.1.4.1.19376.1.2.20.12345.1.1, true,  urn:ihe:iti:xds-sd:pdf:2008, NON_XML_BODY",
        "BIO-CR-BIO_2021.01_Microbiologie_V1.xml,  1.2.250.1.213.1.1.1.55.2021.6.1,    false, urn:ihe:lab:xd-lab:2008,     ",
        "BIO-CR-BIO_2024.01_CR-2nde-intention-PDF.xml, 1.2.250.1.213.1.1.1.55.2024.1.1, true, urn:ihe:lab:xd-lab:2008,     OBSERVATION_MEDIA",
        "BIO-CR-BIO_2024.01_TSH_1.xml,             1.2.250.1.213.1.1.1.55.2024.9.1,    true,  urn:ihe:lab:xd-lab:2008,     OBSERVATION_MEDIA"
    })
    void ansExamplesInXdmPackages(String file, String id, boolean pdfEmbedded, String formatCode, EmbeddedPdf.Location location)
        throws Exception {
        byte[] cda = Files.readAllBytes(SharedFixtures.cdaDirectory().resolve(file));
        XdmDocument document = new XdmDocument("DOC0001.XML", "text/xml", cda, id, "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH",
            formatCode, null, null);
        DocumentAnalysis analysis = analyzeXdm(TestDocuments.xdmZip("SUBSET01", List.of(document), false));

        assertThat(analysis.problems()).isEmpty();
        assertThat(analysis.hasHealthDocuments()).isTrue();
        assertThat(analysis.insHeader()).isEqualTo("O");
        assertThat(analysis.cdaCodes()).containsExactly("11502-2");
        assertThat(analysis.integrationError()).isEmpty();
        assertThat(analysis.attachments()).extracting(AttachmentSummary::kind).containsExactly(AttachmentKind.XDM_ZIP, AttachmentKind.PDF);
        AnalyzedDocument doc = analysis.documents().get(0);
        assertThat(analysis.documents()).hasSize(1);
        assertThat(doc.source().kind()).isEqualTo(DocumentSource.Kind.XDM_ENTRY);
        assertThat(doc.source().describe()).isEqualTo("IHE_XDM.ZIP!IHE_XDM/SUBSET01/DOC0001.XML");
        assertThat(doc.ins().status()).isEqualTo(InsStatus.QUALIFIED);
        assertThat(doc.ins().qualified().orElseThrow().matricule()).isEqualTo("279035121518989");
        assertThat(doc.ins().qualified().orElseThrow().birthFamilyName()).isEqualTo("PAT-TROIS");
        assertThat(doc.cda().orElseThrow().id().orElseThrow().asString()).isEqualTo(id);
        assertThat(doc.pdfEmbedded()).isEqualTo(pdfEmbedded);
        assertThat(doc.cda().orElseThrow().pdfs()).extracting(EmbeddedPdf::location).allMatch(l -> l == location);
        assertThat(doc.formatCode()).contains(formatCode);
        assertThat(doc.usable()).isTrue();
        assertThat(doc.content().toByteArray()).isEqualTo(cda);
    }

    @Test
    void ansExamplesAsBareAttachmentsInProduction() throws Exception {
        List<String> files = List.of("DOC_NON_STRUCTURE_CDA-R2-N1.xml", "BIO-CR-BIO_2021.01_Microbiologie_V1.xml",
            "BIO-CR-BIO_2024.01_CR-2nde-intention-PDF.xml", "BIO-CR-BIO_2024.01_TSH_1.xml");
        javax.mail.BodyPart[] parts = new javax.mail.BodyPart[files.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = TestDocuments.attachment(Files.readAllBytes(SharedFixtures.cdaDirectory().resolve(files.get(i))), files.get(i),
                "text/xml");
        }
        MimeMessage message = TestDocuments.message("CR", parts);
        DocumentAnalysis test = analyzer.analyze(message);
        assertThat(test.documents()).extracting(d -> d.source().kind()).containsOnly(DocumentSource.Kind.BARE_ATTACHMENT);
        assertThat(test.documents()).extracting(AnalyzedDocument::pdfEmbedded).containsExactly(true, false, true, true);
        assertThat(test.documents()).extracting(d -> d.formatCode().orElseThrow())
            .containsExactly("urn:ihe:iti:xds-sd:pdf:2008", "urn:ihe:lab:xd-lab:2008", "urn:ihe:lab:xd-lab:2008", "urn:ihe:lab:xd-lab:2008");
        assertThat(test.problems()).isEmpty();

        DocumentAnalysis production = new HealthDocumentAnalyzer(AnalyzerSettings.defaults(Environment.PRODUCTION)).analyze(message);
        assertThat(production.problems()).extracting(Problem::code).containsOnly(ProblemCode.INS_WRONG_ENVIRONMENT).hasSize(4);
        assertThat(production.insHeader()).isEqualTo("N");
        assertThat(production.integrationError()).contains(IntegrationErrorCode.OTHER);
    }

    @Test
    void syntheticDocumentsWithoutSharedFixtures() {
        DocumentAnalysis analysis = analyzeXdm(xdmOf(TestDocuments.cda()));
        assertThat(analysis.problems()).isEmpty();
        assertThat(analysis.documents()).singleElement().satisfies(d -> {
            assertThat(d.usable()).isTrue();
            assertThat(d.xdmEntry().orElseThrow().uniqueId()).contains("1.2.250.1.999.1.1.1^DOC-1");
        });
    }

    @Test
    void zipBomb() {
        DocumentAnalysis analysis = analyzeXdm(HostileZips.bomb("IHE_XDM/SUBSET01/DOC0001.XML", 256L << 20));
        assertOnly(analysis, ProblemCode.ZIP_BOMB);
        assertThat(analysis.problems().get(0).where()).isEqualTo("IHE_XDM.ZIP");
        assertThat(analysis.documents()).isEmpty();
        assertThat(analysis.integrationError()).contains(IntegrationErrorCode.OTHER);
    }

    @Test
    void zipSlip() {
        assertOnly(analyzeXdm(HostileZips.named("../../evil")), ProblemCode.ZIP_PATH_TRAVERSAL);
    }

    @Test
    void tenThousandEntries() {
        assertOnly(analyzeXdm(HostileZips.manyEntries(10_000)), ProblemCode.ZIP_TOO_MANY_ENTRIES);
    }

    @Test
    void truncatedZip() {
        byte[] zip = xdmOf(TestDocuments.cda());
        assertOnly(analyzeXdm(Arrays.copyOf(zip, zip.length / 2)), ProblemCode.ZIP_TRUNCATED);
    }

    @Test
    void xxeAndBillionLaughsInCda() {
        TestDocuments.Cda xxe = TestDocuments.cda().withProlog(HostileXml.xxe("ClinicalDocument"));
        DocumentAnalysis inXdm = analyzeXdm(xdmOf(xxe));
        assertOnly(inXdm, ProblemCode.CDA_DOCTYPE_FORBIDDEN);
        assertThat(inXdm.problems().get(0).where()).isEqualTo("IHE_XDM.ZIP!IHE_XDM/SUBSET01/DOC0001.XML");
        assertThat(inXdm.documents()).singleElement().satisfies(d -> {
            assertThat(d.cda()).isEmpty();
            assertThat(d.usable()).isFalse();
        });
        TestDocuments.Cda laughs = TestDocuments.cda().withProlog(HostileXml.billionLaughs("ClinicalDocument"));
        assertOnly(analyzeBare(laughs.bytes()), ProblemCode.CDA_DOCTYPE_FORBIDDEN);
        assertOnly(analyzeXdm(xdmOf(laughs)), ProblemCode.CDA_DOCTYPE_FORBIDDEN);
    }

    @Test
    void xxeAndBillionLaughsInMetadata() {
        byte[] cda = TestDocuments.cda().bytes();
        for (String prolog : List.of(HostileXml.xxe("lcm:SubmitObjectsRequest"), HostileXml.billionLaughs("lcm:SubmitObjectsRequest"))) {
            String metadata = TestDocuments.metadata(List.of(XdmDocument.cda("DOC0001.XML", TestDocuments.cda())), false)
                .replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "<?xml version=\"1.0\"?>\n" + prolog + "\n");
            byte[] zip = TestDocuments.zip(Map.of("IHE_XDM/SUBSET01/METADATA.XML", metadata.getBytes(StandardCharsets.UTF_8),
                "IHE_XDM/SUBSET01/DOC0001.XML", cda));
            assertOnly(analyzeXdm(zip), ProblemCode.XDM_METADATA_DOCTYPE_FORBIDDEN);
        }
    }

    @Test
    void wrongNirKey() {
        DocumentAnalysis analysis = analyzeXdm(xdmOf(TestDocuments.cda().withIns("279035121518988", TestDocuments.TEST_OID)));
        assertOnly(analysis, ProblemCode.INS_INVALID_MATRICULE);
        assertThat(analysis.documents().get(0).ins().status()).isEqualTo(InsStatus.INVALID_MATRICULE);
        assertThat(analysis.problems().get(0).detail()).doesNotContain("279035121518988");
        assertThat(analysis.insHeader()).isEqualTo("N");
        assertThat(analysis.integrationError()).contains(IntegrationErrorCode.INS_MISMATCH);
    }

    @Test
    void corsicanNirs() {
        TestDocuments.Cda corsica = TestDocuments.cda().withTraits("CORSE", "FIGATELLIX", "FIGATELLIX", "19530701", "F");
        DocumentAnalysis valid = analyzeBare(corsica.withIns("253072B07300470", TestDocuments.TEST_OID).bytes());
        assertThat(valid.problems()).isEmpty();
        assertThat(valid.documents().get(0).ins().qualified().orElseThrow().matricule()).isEqualTo("253072B07300470");
        assertOnly(analyzeBare(corsica.withIns("253072B07300471", TestDocuments.TEST_OID).bytes()), ProblemCode.INS_INVALID_MATRICULE);
        assertOnly(analyzeBare(corsica.withIns("253072A07300470", TestDocuments.TEST_OID).bytes()), ProblemCode.INS_INVALID_MATRICULE);
    }

    @Test
    void missingAndIncompleteIns() {
        DocumentAnalysis missing = analyzeBare(TestDocuments.cda().withIns(null, null).bytes());
        assertOnly(missing, ProblemCode.INS_MISSING);
        assertThat(missing.integrationError()).contains(IntegrationErrorCode.INS_MISSING);
        DocumentAnalysis incomplete = analyzeBare(TestDocuments.cda().withTraits("PAT-TROIS", null, null, "19790328", null).bytes());
        assertOnly(incomplete, ProblemCode.INS_INCOMPLETE);
        assertThat(incomplete.documents().get(0).ins().missingTraits()).containsExactly("firstBirthGivenName", "sex");
        assertThat(incomplete.integrationError()).contains(IntegrationErrorCode.INS_INCOMPLETE);
    }

    @Test
    void metadataMustAgreeWithTheCda() {
        XdmDocument otherPatient = XdmDocument.cda("DOC0001.XML", TestDocuments.cda())
            .withPatient("162018885045327^^^&1.2.250.1.213.1.4.10&ISO^NH");
        assertOnly(analyzeXdm(TestDocuments.xdmZip("SUBSET01", List.of(otherPatient), false)), ProblemCode.INS_MISMATCH);
        XdmDocument otherId = XdmDocument.cda("DOC0001.XML", TestDocuments.cda().withId("1.2.250.1.999.1.1.1", "DOC-2"));
        byte[] zip = TestDocuments.xdmZip("SUBSET01", List.of(new XdmDocument(otherId.file(), otherId.mimeType(), TestDocuments.cda().bytes(),
            otherId.uniqueId(), otherId.patientCx(), otherId.formatCode(), null, null)), false);
        assertOnly(analyzeXdm(zip), ProblemCode.DOCUMENT_ID_MISMATCH);
    }

    @Test
    void plainMessagesAndGarbage() throws Exception {
        DocumentAnalysis plain = analyzer.analyze(TestDocuments.message("Bonjour"));
        assertThat(plain.hasHealthDocuments()).isFalse();
        assertThat(plain.problems()).isEmpty();
        assertThat(plain.insHeader()).isEqualTo("N");
        MimeMessage garbage = TestDocuments.parse("Content-Type: multipart/mixed; boundary=\"\r\n\r\n--\r\n\u0000\u0001"
            .getBytes(StandardCharsets.ISO_8859_1));
        assertThatCode(() -> analyzer.analyze(garbage)).doesNotThrowAnyException();
    }

    @Test
    void everyLayerCodeHasAProblemCode() {
        for (var reason : fr.mssante.operator.documents.zip.ZipRejection.values()) {
            assertThat(ProblemCode.of(reason).name()).endsWith(reason.name());
        }
        for (var reason : fr.mssante.operator.documents.xdm.XdmRejection.values()) {
            assertThat(ProblemCode.of(reason).name()).isEqualTo("XDM_" + reason.name());
        }
        for (var code : fr.mssante.operator.documents.xdm.XdmIssue.Code.values()) {
            assertThat(ProblemCode.of(code).name()).isEqualTo("XDM_" + code.name());
        }
        for (var reason : fr.mssante.operator.documents.cda.CdaRejection.values()) {
            assertThat(ProblemCode.of(reason).name()).isEqualTo("CDA_" + reason.name());
        }
        for (var code : fr.mssante.operator.documents.cda.CdaIssue.Code.values()) {
            assertThat(ProblemCode.of(code).name()).isEqualTo("CDA_" + code.name());
        }
        for (var status : InsStatus.values()) {
            assertThat(ProblemCode.of(status).isPresent()).isEqualTo(status != InsStatus.QUALIFIED);
        }
        assertThat(ProblemCode.INS_MISSING.integrationError()).isEqualTo(Optional.of(IntegrationErrorCode.INS_MISSING));
    }
}
