package fr.mssante.operator.directory.publication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

import fr.mssante.operator.vocabulary.MailboxKind;
import fr.mssante.operator.vocabulary.MailboxState;

/**
 * The expected shape comes from the Annuaire Santé IG ({@code ansforge/IG-fhir-annuaire}: the extension
 * {@code as-ext-mailbox-mss-metadata}, the profile {@code as-mailbox-mss} and the examples under
 * {@code input/fsh/examples/BAL/}). Mailboxes and identifiers below are made up.
 */
class MailboxPublicationTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");
    private static final Instant CREATED = Instant.parse("2025-01-10T08:00:00Z");
    private final MailboxPublication publication = new MailboxPublication(Clock.fixed(NOW, ZoneOffset.UTC));
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private static PublishedMailbox per(String address, String holder, Integer rank, boolean listeRouge) {
        return new PublishedMailbox(address, MailboxKind.PER, holder, null, null, null, null, listeRouge, rank,
            MailboxState.ACTIVE, false, CREATED, null);
    }

    private static PublishedMailbox org(String address, String structure, boolean listeRouge) {
        return new PublishedMailbox(address, MailboxKind.ORG, structure, null, "Secrétariat de cardiologie",
            "Cardiologie", "Mme Responsable, 01 02 03 04 05", listeRouge, null, MailboxState.ACTIVE, false, CREATED,
            null);
    }

    private JsonNode export(List<PublishedMailbox> mailboxes, PublicationAudience audience, List<PublicationReport> reports)
        throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        reports.add(publication.write(mailboxes, audience, out));
        return json.readTree(out.toByteArray());
    }

    private static JsonNode metadata(JsonNode contactPoint, String url) {
        for (JsonNode ext : contactPoint.get("extension")) {
            if (ext.get("url").asText().equals(MailboxPublication.METADATA_EXTENSION)) {
                for (JsonNode sub : ext.get("extension")) {
                    if (sub.get("url").asText().equals(url)) {
                        return sub;
                    }
                }
                return null;
            }
        }
        throw new AssertionError("no metadata extension in " + contactPoint);
    }

    @Test
    void personalMailboxesOfOneProfessionalShareOnePractitionerPreferredFirst() throws Exception {
        List<PublicationReport> reports = new ArrayList<>();
        JsonNode bundle = export(List.of(
            per("Second@Medecin.mssante.fr", "810001234567", 2, false),
            per("first@medecin.mssante.fr", "810001234567", 1, false)), PublicationAudience.NATIONAL_DIRECTORY, reports);

        assertThat(bundle.get("resourceType").asText()).isEqualTo("Bundle");
        assertThat(bundle.get("type").asText()).isEqualTo("collection");
        assertThat(bundle.get("timestamp").asText()).isEqualTo("2026-11-23T10:15:30Z");
        assertThat(bundle.get("entry")).hasSize(1);
        JsonNode practitioner = bundle.get("entry").get(0).get("resource");
        assertThat(bundle.get("entry").get(0).get("fullUrl").asText()).isEqualTo("urn:uuid:" + practitioner.get("id").asText());
        assertThat(practitioner.get("resourceType").asText()).isEqualTo("Practitioner");
        assertThat(practitioner.at("/meta/profile/0").asText()).endsWith("/StructureDefinition/as-practitioner");
        assertThat(practitioner.at("/identifier/0/system").asText()).isEqualTo("urn:oid:1.2.250.1.71.4.2.1");
        assertThat(practitioner.at("/identifier/0/value").asText()).isEqualTo("810001234567");
        assertThat(practitioner.at("/identifier/0/type/coding/0/code").asText()).isEqualTo("IDNPS");

        JsonNode first = practitioner.get("telecom").get(0);
        assertThat(first.get("system").asText()).isEqualTo("email");
        assertThat(first.get("value").asText()).isEqualTo("first@medecin.mssante.fr");
        assertThat(first.get("rank").asInt()).isEqualTo(1);
        assertThat(first.at("/extension/0/url").asText())
            .isEqualTo("https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type");
        assertThat(first.at("/extension/0/valueCoding/code").asText()).isEqualTo("MSSANTE");
        assertThat(first.at("/extension/1/url").asText())
            .isEqualTo("https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/as-ext-mailbox-mss-metadata");
        assertThat(metadata(first, "type").at("/valueCodeableConcept/coding/0/system").asText())
            .isEqualTo("https://mos.esante.gouv.fr/NOS/TRE_R257-TypeBAL/FHIR/TRE-R257-TypeBAL");
        assertThat(metadata(first, "type").at("/valueCodeableConcept/coding/0/code").asText()).isEqualTo("PER");
        assertThat(metadata(first, "listeRouge").get("valueBoolean").asBoolean()).isFalse();
        assertThat(practitioner.get("telecom").get(1).get("value").asText()).isEqualTo("second@medecin.mssante.fr");
        assertThat(reports.get(0)).isEqualTo(new PublicationReport(2, 1, 0, 0, List.of()));
    }

    @Test
    void aPersonalMailboxAtAPracticeSiteGoesOnAPractitionerRole() throws Exception {
        PublishedMailbox atSite = new PublishedMailbox("dr.x@clinique.mssante.fr", MailboxKind.PER, "810001234567",
            "1750000001", null, "Urgences", null, false, 1, MailboxState.ACTIVE, false, CREATED, null);

        JsonNode role = export(List.of(atSite), PublicationAudience.NATIONAL_DIRECTORY, new ArrayList<>())
            .at("/entry/0/resource");

        assertThat(role.get("resourceType").asText()).isEqualTo("PractitionerRole");
        assertThat(role.at("/practitioner/identifier/value").asText()).isEqualTo("810001234567");
        assertThat(role.at("/organization/identifier/system").asText()).isEqualTo("urn:oid:1.2.250.1.71.4.2.2");
        assertThat(role.at("/organization/identifier/value").asText()).isEqualTo("1750000001");
        assertThat(metadata(role.at("/telecom/0"), "service").get("valueString").asText()).isEqualTo("Urgences");
    }

    @Test
    void organisationMailboxesCarryTheirMetadataAndTheResponsibleOnlyForTheNationalDirectory() throws Exception {
        PublishedMailbox mailbox = org("cardio@ch-exemple.mssante.fr", "1340000017", false);

        JsonNode national = export(List.of(mailbox), PublicationAudience.NATIONAL_DIRECTORY, new ArrayList<>())
            .at("/entry/0/resource");
        JsonNode open = export(List.of(mailbox), PublicationAudience.PUBLIC, new ArrayList<>()).at("/entry/0/resource");

        assertThat(national.get("resourceType").asText()).isEqualTo("Organization");
        assertThat(national.at("/identifier/0/value").asText()).isEqualTo("1340000017");
        assertThat(national.at("/identifier/0/type/coding/0/code").asText()).isEqualTo("IDNST");
        JsonNode cp = national.at("/telecom/0");
        assertThat(metadata(cp, "type").at("/valueCodeableConcept/coding/0/code").asText()).isEqualTo("ORG");
        assertThat(metadata(cp, "description").get("valueString").asText()).isEqualTo("Secrétariat de cardiologie");
        assertThat(metadata(cp, "service").get("valueString").asText()).isEqualTo("Cardiologie");
        assertThat(metadata(cp, "responsible").get("valueString").asText()).startsWith("Mme Responsable");
        assertThat(metadata(open.at("/telecom/0"), "responsible")).as("restricted data").isNull();
        assertThat(metadata(open.at("/telecom/0"), "description")).isNotNull();
    }

    @Test
    void redListedMailboxesAreFlaggedForTheNationalDirectoryAndLeftOutOfPublicExports() throws Exception {
        List<PublishedMailbox> mailboxes = List.of(per("visible@medecin.mssante.fr", "810001234567", 1, false),
            per("hidden@medecin.mssante.fr", "810001234567", 2, true), org("rouge@ch.mssante.fr", "1340000017", true));
        List<PublicationReport> reports = new ArrayList<>();

        JsonNode national = export(mailboxes, PublicationAudience.NATIONAL_DIRECTORY, reports);
        JsonNode open = export(mailboxes, PublicationAudience.PUBLIC, reports);

        assertThat(national.findValuesAsText("value")).contains("hidden@medecin.mssante.fr", "rouge@ch.mssante.fr");
        assertThat(national.toString()).contains("\"url\":\"listeRouge\",\"valueBoolean\":true");
        assertThat(open.findValuesAsText("value")).contains("visible@medecin.mssante.fr")
            .doesNotContain("hidden@medecin.mssante.fr", "rouge@ch.mssante.fr");
        assertThat(open.toString()).doesNotContain("\"valueBoolean\":true");
        assertThat(open.get("entry")).hasSize(1);
        assertThat(reports.get(1).redListedLeftOut()).isEqualTo(2);
        assertThat(reports.get(1).published()).isEqualTo(1);
    }

    @Test
    void inactiveUnpublishedAndUndescribableMailboxesAreNotWritten() throws Exception {
        List<PublishedMailbox> mailboxes = List.of(
            new PublishedMailbox("closed@medecin.mssante.fr", MailboxKind.PER, "810001234567", null, null, null, null,
                false, null, MailboxState.CLOSED, false, CREATED, null),
            new PublishedMailbox("suspended@medecin.mssante.fr", MailboxKind.PER, "810001234567", null, null, null,
                null, false, null, MailboxState.SUSPENDED, false, CREATED, null),
            new PublishedMailbox("old@medecin.mssante.fr", MailboxKind.PER, "810001234567", null, null, null, null,
                false, null, MailboxState.ACTIVE, true, CREATED, null),
            per("noholder@medecin.mssante.fr", "12345", 1, false),
            org("nostructure@ch.mssante.fr", null, false));
        List<PublicationReport> reports = new ArrayList<>();

        JsonNode bundle = export(mailboxes, PublicationAudience.NATIONAL_DIRECTORY, reports);

        assertThat(bundle.get("entry")).isEmpty();
        PublicationReport report = reports.get(0);
        assertThat(report.notPublishable()).isEqualTo(3);
        assertThat(report.rejected()).extracting(PublicationReport.Rejected::address)
            .containsExactly("noholder@medecin.mssante.fr", "nostructure@ch.mssante.fr");
        assertThat(report.rejected().get(0).reason()).contains("8 + RPPS");
    }

    @Test
    void publishWritesTheFileAtomicallyFromTheSource() throws Exception {
        Path file = dir.resolve("publication.json");
        Files.writeString(file, "previous export");

        PublicationReport report = publication.publish(
            () -> List.of(per("a@medecin.mssante.fr", "810001234567", null, false)),
            PublicationAudience.NATIONAL_DIRECTORY, file);

        assertThat(report.published()).isEqualTo(1);
        JsonNode bundle = json.readTree(file.toFile());
        assertThat(bundle.at("/entry/0/resource/telecom/0/value").asText()).isEqualTo("a@medecin.mssante.fr");
        assertThat(bundle.at("/entry/0/resource/telecom/0/rank").isMissingNode()).as("unranked").isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
