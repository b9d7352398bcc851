package fr.mssante.operator.documents.cda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.content.Content;
import fr.mssante.operator.documents.testing.HostileXml;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.Cda;

class CdaParserTest {
    static final String BILLION_LAUGHS = HostileXml.billionLaughs("ClinicalDocument");

    private final CdaParser parser = new CdaParser();

    private CdaRejectedException refused(String xml) {
        return refused(xml.getBytes(StandardCharsets.UTF_8));
    }

    private CdaRejectedException refused(byte[] xml) {
        CdaRejectedException e = catchThrowableOfType(() -> parser.parse(Content.copyOf(xml)), CdaRejectedException.class);
        assertThat(e).as("CDA must be refused").isNotNull();
        return e;
    }

    @Test
    void syntheticLevelOne() throws Exception {
        byte[] pdf = TestDocuments.pdf("N1");
        CdaDocument cda = parser.parse(Content.copyOf(TestDocuments.cda().withBody(Cda.Body.N1_PDF, pdf).bytes()));
        assertThat(cda.id()).contains(InstanceId.of("1.2.250.1.999.1.1.1", "DOC-1"));
        assertThat(cda.id().orElseThrow().asString()).isEqualTo("1.2.250.1.999.1.1.1^DOC-1");
        assertThat(cda.versionNumber()).contains("2");
        assertThat(cda.pdfs()).singleElement().satisfies(p -> assertThat(p.content().toByteArray()).isEqualTo(pdf));
        assertThat(cda.formatCode()).contains(FormatCodes.XDS_SD_PDF);
    }

    @Test
    void syntheticLevelThreePdf() throws Exception {
        byte[] pdf = TestDocuments.pdf("N3");
        CdaDocument cda = parser.parse(Content.copyOf(TestDocuments.cda().withBody(Cda.Body.N3_PDF, pdf).bytes()));
        assertThat(cda.body()).isEqualTo(BodyKind.STRUCTURED);
        assertThat(cda.pdfs()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(EmbeddedPdf.Location.OBSERVATION_MEDIA);
            assertThat(p.mediaId()).contains("doc-1");
            assertThat(p.content().toByteArray()).isEqualTo(pdf);
        });
        assertThat(cda.formatCode()).contains(FormatCodes.XD_LAB);
    }

    @Test
    void patientWithoutIns() throws Exception {
        CdaDocument cda = parser.parse(Content.copyOf(TestDocuments.cda().withIns(null, null).bytes()));
        assertThat(cda.patient().orElseThrow().ins()).isEmpty();
        assertThat(cda.patient().orElseThrow().ids()).containsExactly(InstanceId.of("1.2.3.4.567.8.9.10", "IPP-42"));
    }

    @Test
    void xxeIsRefusedBeforeAnyEntityIsRead() {
        String xml = TestDocuments.cda().withProlog(HostileXml.xxe("ClinicalDocument")).xml()
            .replace("Compte rendu de test", "&xxe;");
        CdaRejectedException e = refused(xml);
        assertThat(e.reason()).isEqualTo(CdaRejection.DOCTYPE_FORBIDDEN);
        assertThat(e.getMessage()).contains("DOCTYPE declarations are refused").doesNotContain("root:");
    }

    @Test
    void externalDtdAndParameterEntitiesAreNeverFetched() throws Exception {
        try (ServerSocket trap = new ServerSocket(0)) {
            String url = "http://127.0.0.1:" + trap.getLocalPort() + "/evil.dtd";
            assertThat(refused(TestDocuments.cda().withProlog("<!DOCTYPE ClinicalDocument SYSTEM \"" + url + "\">").xml()).reason())
                .isEqualTo(CdaRejection.DOCTYPE_FORBIDDEN);
            assertThat(refused(TestDocuments.cda().withProlog("<!DOCTYPE ClinicalDocument [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]>")
                .xml()).reason()).isEqualTo(CdaRejection.DOCTYPE_FORBIDDEN);
            trap.setSoTimeout(200);
            assertThatThrownBy(trap::accept).as("nobody connected to the DTD URL").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void billionLaughsIsRefusedAtOnce() {
        String xml = TestDocuments.cda().withProlog(BILLION_LAUGHS).xml().replace("Compte rendu de test", "&lol9;");
        long started = System.nanoTime();
        CdaRejectedException e = refused(xml);
        assertThat(e.reason()).isEqualTo(CdaRejection.DOCTYPE_FORBIDDEN);
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms").isLessThan(1_000);
    }

    @Test
    void xincludeIsNotProcessed() throws Exception {
        String xml = TestDocuments.cda().xml().replace("Compte rendu de test",
            "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/>");
        CdaDocument cda = parser.parse(Content.copyOf(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(cda.title()).isEmpty();
    }

    @Test
    void undeclaredEntityIsMalformed() {
        assertThat(refused(TestDocuments.cda().xml().replace("Compte rendu de test", "&foo;")).reason())
            .isEqualTo(CdaRejection.MALFORMED_XML);
    }

    @Test
    void notACda() {
        assertThat(refused("<html><body/></html>").reason()).isEqualTo(CdaRejection.NOT_CDA);
        assertThat(refused("<ClinicalDocument xmlns=\"urn:other\"/>").reason()).isEqualTo(CdaRejection.NOT_CDA);
        assertThat(refused("<ClinicalDocument/>").getMessage()).contains("not ClinicalDocument in urn:hl7-org:v3");
    }

    @Test
    void truncatedOrEmptyIsMalformed() {
        byte[] xml = TestDocuments.cda().bytes();
        assertThat(refused(java.util.Arrays.copyOf(xml, xml.length / 2)).reason()).isEqualTo(CdaRejection.MALFORMED_XML);
        assertThat(refused(new byte[0]).reason()).isEqualTo(CdaRejection.MALFORMED_XML);
        assertThat(refused(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0}).reason()).isEqualTo(CdaRejection.MALFORMED_XML);
    }

    @Test
    void deepNestingIsRefused() {
        String deepHeader = TestDocuments.cda().xml().replace("<title>Compte rendu de test</title>",
            "<title>" + "<a>".repeat(10_000) + "</a>".repeat(10_000) + "</title>");
        assertThat(refused(deepHeader).reason()).isEqualTo(CdaRejection.TOO_DEEP);
        String deepBody = TestDocuments.cda().withBody(Cda.Body.STRUCTURED_NO_PDF, null).xml()
            .replace("<text>TSH", "<text>" + "<b>".repeat(5_000) + "</b>".repeat(5_000) + "TSH");
        assertThat(refused(deepBody).reason()).isEqualTo(CdaRejection.TOO_DEEP);
    }

    @Test
    void headerSizeIsBounded() {
        String wide = TestDocuments.cda().xml().replace("<title>Compte rendu de test</title>",
            "<title>x</title>" + "<templateId root=\"1.2.3\"/>".repeat(60_000));
        assertThat(refused(wide).reason()).isEqualTo(CdaRejection.TOO_LARGE);
    }

    @Test
    void badPdfDataIsReportedNotThrown() throws Exception {
        String invalid = TestDocuments.cda().xml().replaceAll("(?s)(representation=\"B64\">).*?(</text>)", "$1%%%% not base64 ****$2");
        CdaDocument cda = parser.parse(Content.copyOf(invalid.getBytes(StandardCharsets.UTF_8)));
        assertThat(cda.pdfs()).isEmpty();
        assertThat(cda.issues()).extracting(CdaIssue::code).containsExactly(CdaIssue.Code.PDF_BASE64_INVALID);

        String notPdf = TestDocuments.cda().withBody(Cda.Body.N1_PDF, "GIF89a not a pdf".getBytes(StandardCharsets.US_ASCII)).xml();
        cda = parser.parse(Content.copyOf(notPdf.getBytes(StandardCharsets.UTF_8)));
        assertThat(cda.hasPdf()).isFalse();
        assertThat(cda.issues()).extracting(CdaIssue::code).containsExactly(CdaIssue.Code.PDF_NOT_PDF);

        String empty = TestDocuments.cda().withBody(Cda.Body.N1_PDF, new byte[0]).xml();
        cda = parser.parse(Content.copyOf(empty.getBytes(StandardCharsets.UTF_8)));
        assertThat(cda.issues()).extracting(CdaIssue::code).containsExactly(CdaIssue.Code.PDF_NOT_INLINE);
    }

    @Test
    void utf16DocumentsParse() throws Exception {
        String xml = TestDocuments.cda().xml().replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"");
        CdaDocument cda = parser.parse(Content.copyOf(xml.getBytes(StandardCharsets.UTF_16)));
        assertThat(cda.title()).contains("Compte rendu de test");
    }

    @Test
    void snifferRecognisesCdaEvenWithADoctype() {
        assertThat(CdaSniffer.isCda(Content.copyOf(TestDocuments.cda().bytes()))).isTrue();
        assertThat(CdaSniffer.isCda(Content.copyOf(TestDocuments.cda().withProlog(BILLION_LAUGHS).bytes()))).isTrue();
        assertThat(CdaSniffer.isCda(Content.copyOf("<ClinicalDocument xmlns=\"urn:other\"/>".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(CdaSniffer.isCda(Content.copyOf(Base64.getDecoder().decode("AAEC")))).isFalse();
    }
}
