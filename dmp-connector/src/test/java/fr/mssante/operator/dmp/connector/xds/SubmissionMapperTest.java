package fr.mssante.operator.dmp.connector.xds;

import fr.mssante.operator.dmp.connector.ConnectorSettings;
import fr.mssante.operator.dmp.connector.testing.Submissions;
import fr.mssante.operator.dmp.outbox.Code;
import fr.mssante.operator.dmp.outbox.PatientIdentity;
import fr.mssante.operator.dmp.outbox.Submission;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Hl7v2Based;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubmissionMapperTest {
    private final SubmissionMapper mapper = new SubmissionMapper(XdsDefaults.of(ConnectorSettings.DEV_SOURCE_ID),
        Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void mapsTheSubmissionToDmpMetadata() {
        Submission s = Submissions.crBio("<m@test>", "1.2.250.1.213.1.1.1.55.2026.1");
        MappedSubmission mapped = mapper.map(s);

        assertThat(mapped.patientCx()).isEqualTo("279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH");
        assertThat(mapped.sha1()).isEqualTo(SubmissionMapper.sha1(s.document())).hasSize(40);
        assertThat(mapped.size()).isEqualTo(s.document().length);
        assertThat(mapped.submissionSetUniqueId()).startsWith("2.25.");

        DocumentEntry e = mapped.request().getDocuments().get(0).getDocumentEntry();
        assertThat(e.getUniqueId()).isEqualTo("1.2.250.1.213.1.1.1.55.2026.1");
        assertThat(e.getTypeCode().getCode()).isEqualTo("11502-2");
        assertThat(e.getClassCode().getCode()).isEqualTo("10");
        assertThat(e.getClassCode().getSchemeName()).isEqualTo("1.2.250.1.213.1.1.4.1");
        assertThat(e.getFormatCode().getCode()).isEqualTo("urn:ihe:lab:xd-lab:2008");
        assertThat(e.getHealthcareFacilityTypeCode().getCode()).isEqualTo("SA01");
        assertThat(e.getPracticeSettingCode().getCode()).isEqualTo("ETABLISSEMENT");
        assertThat(e.getCreationTime().toHL7()).isEqualTo("20261120161000");
        assertThat(e.getServiceStartTime().toHL7()).isEqualTo("20261120080000");
        assertThat(e.getHash()).isEqualTo(mapped.sha1());
        assertThat(e.getSize()).isEqualTo(mapped.size());
        assertThat(Hl7v2Based.rawRender(e.getAuthors().get(0).getAuthorPerson()))
            .isEqualTo("810001234567^KIT^DOC^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS");
        assertThat(Hl7v2Based.rawRender(e.getAuthors().get(0).getAuthorInstitution().get(0)))
            .isEqualTo("LABORATOIRE DE TEST^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^3123456789");
        assertThat(e.getSourcePatientInfo().getGender()).isEqualTo("F");
        assertThat(mapped.request().getSubmissionSet().getSourceId()).isEqualTo(ConnectorSettings.DEV_SOURCE_ID);
        assertThat(mapped.request().getSubmissionSet().getSubmissionTime().toHL7()).isEqualTo("20261123100000");
        assertThat(mapped.request().getAssociations()).singleElement().satisfies(a -> {
            assertThat(a.getSourceUuid()).isEqualTo(mapped.request().getSubmissionSet().getEntryUuid());
            assertThat(a.getTargetUuid()).isEqualTo(e.getEntryUuid());
        });
    }

    @Test
    void classCodeTableCanBeExtendedAndHasADefault() {
        ClassCodeMapping mapping = ClassCodeMapping.defaults()
            .with("18748-4=31^Imagerie médicale^1.2.250.1.213.1.1.4.1");
        assertThat(mapping.classCodeFor(new Code("18748-4", "2.16.840.1.113883.6.1", null)).code()).isEqualTo("31");
        assertThat(mapping.classCodeFor(new Code("99999-9", "2.16.840.1.113883.6.1", null)))
            .isEqualTo(ClassCodeMapping.COMPTE_RENDU);
    }

    @Test
    void refusesAMalformedIns() {
        assertThatThrownBy(() -> SubmissionMapper.patientCx(new PatientIdentity("12^34", "1.2.250.1.213.1.4.8",
            null, null, null, null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubmissionMapper.patientCx(new PatientIdentity("279035121518989", "not-an-oid",
            null, null, null, null))).isInstanceOf(IllegalArgumentException.class);
    }
}
