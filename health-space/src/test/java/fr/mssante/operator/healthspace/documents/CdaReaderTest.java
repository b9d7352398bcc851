package fr.mssante.operator.healthspace.documents;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** A CDA reduced to its readable parts; DTDs (XXE) and non-CDA XML give nothing. */
class CdaReaderTest {
    @Test
    void headerAndSectionsAreRead() {
        String xml = """
            <ClinicalDocument xmlns="urn:hl7-org:v3">
              <title>Compte rendu de consultation</title>
              <effectiveTime value="20261207093000+0100"/>
              <recordTarget><patientRole><patient><name><given>Jeanne</given><family>Martin</family></name>
                <birthTime value="19800501"/></patient></patientRole></recordTarget>
              <author><assignedAuthor><assignedPerson><name><prefix>Dr</prefix><given>Gregory</given><family>House</family></name></assignedPerson>
                <representedOrganization><name>Cabinet de démonstration</name></representedOrganization></assignedAuthor></author>
              <component><structuredBody>
                <component><section><title>Motif</title><text>Contrôle <content>annuel</content></text></section></component>
                <component><section><title>Traitement</title><text><list><item>Paracétamol</item><item>Repos</item></list>
                  <table><tbody><tr><th>Examen</th><th>Résultat</th></tr><tr><td>Glycémie</td><td>0,9 g/L</td></tr></tbody></table></text></section></component>
              </structuredBody></component>
            </ClinicalDocument>""";
        CdaDocument document = CdaReader.read(xml.getBytes(StandardCharsets.UTF_8)).orElseThrow();
        assertThat(document.title()).isEqualTo("Compte rendu de consultation");
        assertThat(document.patient()).isEqualTo("Jeanne Martin");
        assertThat(document.patientBirthDate()).isEqualTo("01/05/1980");
        assertThat(document.author()).isEqualTo("Dr Gregory House");
        assertThat(document.organization()).isEqualTo("Cabinet de démonstration");
        assertThat(document.date()).isEqualTo("07/12/2026");
        assertThat(document.sections()).extracting(CdaDocument.Section::title).containsExactly("Motif", "Traitement");
        assertThat(document.sections().get(0).blocks().get(0).lines()).containsExactly("Contrôle annuel");
        assertThat(document.sections().get(1).blocks().get(0).lines()).containsExactly("Paracétamol", "Repos");
        assertThat(document.sections().get(1).blocks().get(1).rows()).containsExactly(
            java.util.List.of("Examen", "Résultat"), java.util.List.of("Glycémie", "0,9 g/L"));
    }

    @Test
    void aDoctypeIsRefused() {
        String xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE ClinicalDocument [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <ClinicalDocument xmlns="urn:hl7-org:v3"><title>&secret;</title></ClinicalDocument>""";
        assertThat(CdaReader.read(xxe.getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void otherXmlIsNotCda() {
        assertThat(CdaReader.read("<note><title>x</title></note>".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(CdaReader.read("not xml".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
