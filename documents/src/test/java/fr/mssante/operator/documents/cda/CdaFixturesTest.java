package fr.mssante.operator.documents.cda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.content.Content;
import fr.mssante.operator.documents.ins.Environment;
import fr.mssante.operator.documents.ins.InsOid;
import fr.mssante.operator.documents.ins.InsStatus;
import fr.mssante.operator.documents.ins.InsValidator;
import fr.mssante.operator.documents.ins.InsVerdict;
import fr.mssante.operator.documents.ins.Sex;
import fr.mssante.operator.documents.testing.SharedFixtures;

/**
 * The ANS CI-SIS CDA examples in shared/fixtures/cda (from {@code ansforge/TestContenuCDA-3-0}, {@code ExemplesCDA/}),
 * with the values read in each file. Skipped when shared/ is absent.
 */
class CdaFixturesTest {
    private final CdaParser parser = new CdaParser();

    private CdaDocument parse(String file) throws Exception {
        Path path = SharedFixtures.cdaDirectory().resolve(file);
        return parser.parse(Content.owning(Files.readAllBytes(path)));
    }

    @Test
    void everyFixtureIsCoveredHere() throws Exception {
        try (Stream<Path> files = Files.list(SharedFixtures.cdaDirectory())) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                "BIO-CR-BIO_2021.01_Microbiologie_V1.xml",
                "BIO-CR-BIO_2024.01_CR-2nde-intention-PDF.xml",
                "BIO-CR-BIO_2024.01_TSH_1.xml",
                "DOC_NON_STRUCTURE_CDA-R2-N1.xml");
        }
    }

    @Test
    void nonStructuredLevelOneWithPdf() throws Exception {
        CdaDocument cda = parse("DOC_NON_STRUCTURE_CDA-R2-N1.xml");
        assertThat(cda.id()).contains(InstanceId.of("1.3.6.1.4.1.19376.1.2.20.12345.1.1", null));
        assertThat(cda.setId()).contains(InstanceId.of("1.3.6.1.4.1.19376.1.2.20.12345.1", null));
        assertThat(cda.versionNumber()).contains("1");
        assertThat(cda.code()).contains(new CodedValue("11502-2", "2.16.840.1.113883.6.1", java.util.Optional.of("CR d'examens biologiques")));
        assertThat(cda.title()).contains("Compte rendu d'examens biologiques");
        assertThat(cda.effectiveTime()).contains("20210401134745+0100");
        assertThat(cda.confidentialityCode().map(CodedValue::code)).contains("N");
        assertThat(cda.languageCode()).contains("fr-FR");
        assertThat(cda.templateIds()).extracting(InstanceId::root)
            .containsExactly("2.16.840.1.113883.2.8.2.1", "1.2.250.1.213.1.1.1.1", "1.3.6.1.4.1.19376.1.2.20");
        assertThat(cda.body()).isEqualTo(BodyKind.NON_XML);
        assertThat(cda.formatCode()).contains("urn:ihe:iti:xds-sd:pdf:2008");
        assertThat(cda.pdfs()).singleElement().satisfies(pdf -> {
            assertThat(pdf.location()).isEqualTo(EmbeddedPdf.Location.NON_XML_BODY);
            assertThat(pdf.content().size()).isEqualTo(326_650);
            assertThat(pdf.content().head(8)).asString().isEqualTo("%PDF-1.5");
            assertThat(pdf.content().sha256Hex()).startsWith("72cbc4c926baf281");
            assertThat(pdf.pdfHeader()).isTrue();
        });
        assertThat(cda.custodian().flatMap(CdaOrganisation::nationalId)).contains(InstanceId.of("1.2.250.1.71.4.2.2", "1120459876"));
        assertThat(cda.custodian().flatMap(CdaOrganisation::name)).contains("Laboratoire des charmes");
        assertThat(cda.issues()).isEmpty();
        assertCommonPatientAndAuthor(cda, "20210104160527+0100");
    }

    @Test
    void microbiologyStructuredWithoutPdf() throws Exception {
        CdaDocument cda = parse("BIO-CR-BIO_2021.01_Microbiologie_V1.xml");
        assertThat(cda.id()).contains(InstanceId.of("1.2.250.1.213.1.1.1.55.2021.6.1", null));
        assertThat(cda.setId()).contains(InstanceId.of("1.2.250.1.213.1.1.1.55.2021.6", null));
        assertThat(cda.effectiveTime()).contains("20210104160527+0100");
        assertThat(cda.code().map(CodedValue::code)).contains("11502-2");
        assertThat(cda.body()).isEqualTo(BodyKind.STRUCTURED);
        assertThat(cda.pdfs()).isEmpty();
        assertThat(cda.hasPdf()).isFalse();
        assertThat(cda.formatCode()).contains("urn:ihe:lab:xd-lab:2008");
        assertCommonPatientAndAuthor(cda, "20210104160527+0100");
    }

    @Test
    void secondIntentionReportCarriesTwoPdfs() throws Exception {
        CdaDocument cda = parse("BIO-CR-BIO_2024.01_CR-2nde-intention-PDF.xml");
        assertThat(cda.id()).contains(InstanceId.of("1.2.250.1.213.1.1.1.55.2024.1.1", null));
        assertThat(cda.setId()).contains(InstanceId.of("1.2.250.1.213.1.1.1.55.2024.1", null));
        assertThat(cda.effectiveTime()).contains("20240104160527+0100");
        assertThat(cda.templateIds()).contains(InstanceId.of("1.2.250.1.213.1.1.1.55", "2024.01"));
        assertThat(cda.body()).isEqualTo(BodyKind.STRUCTURED);
        assertThat(cda.formatCode()).contains("urn:ihe:lab:xd-lab:2008");
        assertThat(cda.pdfs()).hasSize(2);
        assertThat(cda.pdfs()).extracting(EmbeddedPdf::location).containsOnly(EmbeddedPdf.Location.OBSERVATION_MEDIA);
        assertThat(cda.pdfs()).extracting(p -> p.mediaId().orElse("")).containsExactly("CRBio", "doc-1");
        assertThat(cda.pdfs()).extracting(p -> p.content().size()).containsExactly(82_200, 104_574);
        assertThat(cda.pdfs().get(0).content().sha256Hex()).startsWith("d4311ccbefcaebf5");
        assertThat(cda.pdfs().get(1).content().sha256Hex()).startsWith("5e7404d5f095e7d4");
        assertThat(cda.pdfs().get(1).content().head(8)).asString().isEqualTo("%PDF-1.6");
        assertCommonPatientAndAuthor(cda, "20240104160527+0100");
    }

    @Test
    void tshReportCarriesOnePdf() throws Exception {
        CdaDocument cda = parse("BIO-CR-BIO_2024.01_TSH_1.xml");
        assertThat(cda.id()).contains(InstanceId.of("1.2.250.1.213.1.1.1.55.2024.9.1", null));
        assertThat(cda.setId()).contains(InstanceId.of("1.2.250.1.213.1.1.1.55.2024.9", null));
        assertThat(cda.effectiveTime()).contains("20210401171000+0100");
        assertThat(cda.pdfs()).singleElement().satisfies(pdf -> {
            assertThat(pdf.mediaId()).contains("doc-1");
            assertThat(pdf.content().size()).isEqualTo(78_777);
            assertThat(pdf.content().sha256Hex()).startsWith("bed94d7deded3753");
        });
        assertThat(cda.hasPdf()).isTrue();
        assertCommonPatientAndAuthor(cda, "20210104160527+0100");
    }

    /** All four examples are about the same test patient, written by the same biologist. */
    private static void assertCommonPatientAndAuthor(CdaDocument cda, String authorTime) {
        CdaPatient patient = cda.patient().orElseThrow();
        assertThat(patient.ins()).contains(InstanceId.of("1.2.250.1.213.1.4.10", "279035121518989"));
        assertThat(patient.ids()).extracting(InstanceId::root).containsExactly("1.2.250.1.213.1.4.10", "1.2.3.4.567.8.9.10");
        assertThat(patient.birthFamilyName()).contains("PAT-TROIS");
        assertThat(patient.birthGivenNames()).contains("DOMINIQUE MARIE-LOUISE");
        assertThat(patient.firstBirthGivenName()).contains("DOMINIQUE");
        assertThat(patient.usedFamilyName()).contains("PAT-TROIS");
        assertThat(patient.usedGivenName()).contains("DOMINIQUE");
        assertThat(patient.birthTime()).contains("19790328");
        assertThat(patient.genderCode()).contains("F");
        assertThat(patient.birthplaceCode()).contains("51215");

        InsVerdict test = new InsValidator(Environment.TEST).validate(patient.insCandidate());
        assertThat(test.status()).isEqualTo(InsStatus.QUALIFIED);
        assertThat(test.qualified().orElseThrow().oid()).isEqualTo(InsOid.TEST_NIR);
        assertThat(test.qualified().orElseThrow().sex()).isEqualTo(Sex.FEMALE);
        assertThat(new InsValidator(Environment.PRODUCTION).validate(patient.insCandidate()).status())
            .isEqualTo(InsStatus.WRONG_ENVIRONMENT);

        CdaAuthor author = cda.author().orElseThrow();
        assertThat(author.time()).contains(authorTime);
        assertThat(author.nationalId()).contains(InstanceId.of("1.2.250.1.71.4.2.1", "801234534765"));
        assertThat(author.profession().map(CodedValue::code)).contains("G15_10/SM03");
        assertThat(author.givenName()).contains("Marcel");
        assertThat(author.familyName()).contains("CAMPARINI");
        assertThat(author.organisation().flatMap(CdaOrganisation::nationalId)).contains(InstanceId.of("1.2.250.1.71.4.2.2", "1120459876"));
        assertThat(author.organisation().flatMap(CdaOrganisation::name)).contains("Laboratoire des charmes");
        assertThat(cda.authors()).hasSize(1);
        assertThat(List.of(cda.title().orElseThrow())).containsExactly("Compte rendu d'examens biologiques");
    }
}
