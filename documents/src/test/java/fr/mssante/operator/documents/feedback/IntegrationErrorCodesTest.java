package fr.mssante.operator.documents.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.analysis.AnalyzedDocument;
import fr.mssante.operator.documents.analysis.AnalyzerSettings;
import fr.mssante.operator.documents.analysis.DocumentAnalysis;
import fr.mssante.operator.documents.analysis.HealthDocumentAnalyzer;
import fr.mssante.operator.documents.cda.InstanceId;
import fr.mssante.operator.documents.ins.Environment;
import fr.mssante.operator.documents.replacement.FiledVersion;
import fr.mssante.operator.documents.replacement.ReplacementRequest;
import fr.mssante.operator.documents.replacement.ReplacementRule;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;

/**
 * One test per ANS integration error code (900–906), each produced through the documents library's one mapping: the
 * analyzer ({@code ProblemCode#integrationError}, read per document by {@link AnalyzedDocument#integrationError()}),
 * the replacement rule and the registry-error mapping. The mail pipeline only reads these (issue 12 #11).
 */
class IntegrationErrorCodesTest {
    private static final String LAB_AUTHOR = "1.2.250.1.71.4.2.1^801234534765";
    private static final String LAB = "1.2.250.1.71.4.2.2^1120459876";
    private static final String SET = "1.2.250.1.999.1.1.1.9";
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    private final HealthDocumentAnalyzer test = new HealthDocumentAnalyzer(AnalyzerSettings.defaults(Environment.TEST));

    private static AnalyzedDocument only(DocumentAnalysis analysis) {
        assertThat(analysis.documents()).hasSize(1);
        return analysis.documents().get(0);
    }

    private DocumentAnalysis analyze(HealthDocumentAnalyzer analyzer, XdmDocument document) {
        MimeMessage message = TestDocuments.message("XDM/1.0/DDM+CR", TestDocuments.attachment(
            TestDocuments.xdmZip("SUBSET01", List.of(document), false), "IHE_XDM.ZIP", "application/zip"));
        return analyzer.analyze(message);
    }

    private DocumentAnalysis analyze(TestDocuments.Cda cda) {
        return analyze(test, XdmDocument.cda("DOC0001.XML", cda));
    }

    @Test
    void aFitDocumentHasNoCode() {
        assertThat(only(analyze(TestDocuments.cda())).integrationError()).isEmpty();
    }

    @Test
    void code900_aReplacementOfAVersionThatIsNoLongerTheLatest() {
        List<FiledVersion> filed = List.of(
            new FiledVersion("1.2.250.1.999.1.1.1^V1", Optional.of(SET), Optional.of(LAB_AUTHOR), Optional.of(LAB), T0),
            new FiledVersion("1.2.250.1.999.1.1.1^V2", Optional.of(SET), Optional.of(LAB_AUTHOR), Optional.of(LAB), T0.plusSeconds(60)));
        ReplacementRequest replacesV1 = new ReplacementRequest("1.2.250.1.999.1.1.1^V1", Optional.of(LAB_AUTHOR), Optional.of(LAB));
        assertThat(ReplacementRule.check(replacesV1, filed)).contains(IntegrationErrorCode.VERSION_INCORRECT);
        assertThat(IntegrationErrorCode.VERSION_INCORRECT.code()).isEqualTo(900);
        // replacing the latest version is fine, and so is a version we never took (the DMP judges it)
        ReplacementRequest replacesV2 = new ReplacementRequest("1.2.250.1.999.1.1.1^V2", Optional.of(LAB_AUTHOR), Optional.of(LAB));
        assertThat(ReplacementRule.check(replacesV2, filed)).isEmpty();
        assertThat(ReplacementRule.check(new ReplacementRequest("9.9^X", Optional.of(LAB_AUTHOR), Optional.empty()), filed)).isEmpty();
        // the DMP's own refusal of a replacement of a deprecated version
        assertThat(IntegrationErrorCode.forRegistryError("XDSRegistryDeprecatedDocumentError: replaced already"))
            .isEqualTo(IntegrationErrorCode.VERSION_INCORRECT);
    }

    @Test
    void code901_aReplacementByNeitherTheAuthorNorItsOrganisation() {
        List<FiledVersion> filed = List.of(
            new FiledVersion("1.2.250.1.999.1.1.1^V1", Optional.of(SET), Optional.of(LAB_AUTHOR), Optional.of(LAB), T0));
        ReplacementRequest stranger = new ReplacementRequest("1.2.250.1.999.1.1.1^V1",
            Optional.of("1.2.250.1.71.4.2.1^809999999999"), Optional.of("1.2.250.1.71.4.2.2^1129999999"));
        assertThat(ReplacementRule.check(stranger, filed)).contains(IntegrationErrorCode.AUTHOR_NOT_ALLOWED);
        assertThat(IntegrationErrorCode.AUTHOR_NOT_ALLOWED.code()).isEqualTo(901);
        // a colleague of the same organisation may replace it; so may the author from another organisation
        assertThat(ReplacementRule.check(new ReplacementRequest("1.2.250.1.999.1.1.1^V1",
            Optional.of("1.2.250.1.71.4.2.1^809999999999"), Optional.of(LAB)), filed)).isEmpty();
        assertThat(ReplacementRule.check(new ReplacementRequest("1.2.250.1.999.1.1.1^V1",
            Optional.of(LAB_AUTHOR), Optional.empty()), filed)).isEmpty();
    }

    @Test
    void theReplacementRequestIsReadFromTheCda() {
        byte[] replacing = TestDocuments.replacing(TestDocuments.cda().withId("1.2.250.1.999.1.1.1", "V2"), "1.2.250.1.999.1.1.1", "V1",
            true);
        AnalyzedDocument document = only(analyze(test, XdmDocument.cda("DOC0001.XML",
            TestDocuments.cda().withId("1.2.250.1.999.1.1.1", "V2"), replacing)));
        assertThat(document.cda().orElseThrow().replaces()).map(InstanceId::asString).contains("1.2.250.1.999.1.1.1^V1");
        assertThat(document.cda().orElseThrow().author().orElseThrow().nationalId()).map(InstanceId::asString)
            .contains("1.2.250.1.71.4.2.1^809999999999");
        assertThat(only(analyze(TestDocuments.cda())).cda().orElseThrow().replaces()).isEmpty();
    }

    @Test
    void code902_theDmpDoesNotKnowThePatient() {
        assertThat(IntegrationErrorCode.forRegistryError("XDSUnknownPatientId: patient unknown to the DMP"))
            .isEqualTo(IntegrationErrorCode.UNKNOWN_PATIENT);
        assertThat(IntegrationErrorCode.UNKNOWN_PATIENT.code()).isEqualTo(902);
        assertThat(IntegrationErrorCode.forRegistryError("XDSRegistryError: down")).isEqualTo(IntegrationErrorCode.OTHER);
        assertThat(IntegrationErrorCode.forRegistryError(null)).isEqualTo(IntegrationErrorCode.OTHER);
    }

    @Test
    void code903_noIns() {
        assertThat(only(analyze(TestDocuments.cda().withIns(null, null))).integrationError()).contains(IntegrationErrorCode.INS_MISSING);
        assertThat(IntegrationErrorCode.INS_MISSING.code()).isEqualTo(903);
    }

    @Test
    void code904_anInsThatDoesNotMatch() {
        // a matricule whose key is wrong, and a package whose patientId is not the CDA's INS
        assertThat(only(analyze(TestDocuments.cda().withIns("279035121518988", TestDocuments.TEST_OID))).integrationError())
            .contains(IntegrationErrorCode.INS_MISMATCH);
        assertThat(only(analyze(test, XdmDocument.cda("DOC0001.XML", TestDocuments.cda())
            .withPatient("162018885045327^^^&1.2.250.1.213.1.4.10&ISO^NH"))).integrationError()).contains(IntegrationErrorCode.INS_MISMATCH);
        assertThat(IntegrationErrorCode.forRegistryError("XDSPatientIdDoesNotMatch: x")).isEqualTo(IntegrationErrorCode.INS_MISMATCH);
        assertThat(IntegrationErrorCode.INS_MISMATCH.code()).isEqualTo(904);
    }

    @Test
    void code905_anIncompleteIns() {
        assertThat(only(analyze(TestDocuments.cda().withTraits("PAT-TROIS", null, null, "19790328", null))).integrationError())
            .contains(IntegrationErrorCode.INS_INCOMPLETE);
        assertThat(IntegrationErrorCode.INS_INCOMPLETE.code()).isEqualTo(905);
    }

    @Test
    void code906_anInsOfAnotherEnvironmentIsNotAMismatch() {
        // a production INS in a test deployment, and a test INS in production: 906, never 904
        assertThat(only(analyze(TestDocuments.cda().withIns(TestDocuments.TEST_INS, "1.2.250.1.213.1.4.8"))).integrationError())
            .contains(IntegrationErrorCode.OTHER);
        HealthDocumentAnalyzer production = new HealthDocumentAnalyzer(AnalyzerSettings.defaults(Environment.PRODUCTION));
        assertThat(only(analyze(production, XdmDocument.cda("DOC0001.XML", TestDocuments.cda()))).integrationError())
            .contains(IntegrationErrorCode.OTHER);
        assertThat(IntegrationErrorCode.OTHER.code()).isEqualTo(906);
    }

    @Test
    void code906_aDocumentWithoutType() {
        String untyped = TestDocuments.cda().xml().replaceAll("  <code code=\"11502-2\"[^\n]*\n", "");
        AnalyzedDocument document = only(analyze(test, XdmDocument.cda("DOC0001.XML", TestDocuments.cda(),
            untyped.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(document.usable()).isFalse();
        assertThat(document.integrationError()).contains(IntegrationErrorCode.OTHER);
    }
}
