package fr.mssante.operator.directory.publication;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports our mailboxes in the shape of the national directory's FHIR API (Annuaire Santé, R4): a Bundle of type
 * {@code collection} with one resource per holder, each mailbox a {@code telecom} ContactPoint (profile
 * {@code as-mailbox-mss}: system {@code email}, the fr-core e-mail type {@code MSSANTE}, and the
 * {@code as-ext-mailbox-mss-metadata} extension with {@code type}, {@code description}, {@code service},
 * {@code responsible} and {@code listeRouge}; the preferred mailbox has {@code rank} 1).
 * <ul>
 *   <li>PER and CAB mailboxes go on the professional's Practitioner (identifier idNat_PS), or on a PractitionerRole
 *   (the professional at one structure) when the mailbox is tied to a practice site;</li>
 *   <li>ORG and APP mailboxes go on the structure's Organization (identifier idNat_Struct), in {@code telecom}, where
 *   the directory's {@code mailbox-mss} search parameter looks ({@code telecom.value}).</li>
 * </ul>
 * Source: {@code ansforge/IG-fhir-annuaire} ({@code input/fsh/extensions/ASMailboxMetadataExtension.fsh},
 * {@code profiles/AsMailboxMSSProfile.fsh}, {@code examples/BAL/}).
 */
public final class MailboxPublication {

    public static final String IG = "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/";
    public static final String METADATA_EXTENSION = IG + "as-ext-mailbox-mss-metadata";
    public static final String EMAIL_TYPE_EXTENSION =
        "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type";
    public static final String EMAIL_TYPE_SYSTEM =
        "https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie";
    public static final String MAILBOX_TYPE_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R257-TypeBAL/FHIR/TRE-R257-TypeBAL";
    public static final String ID_NAT_PS = "urn:oid:1.2.250.1.71.4.2.1";
    public static final String ID_NAT_STRUCT = "urn:oid:1.2.250.1.71.4.2.2";
    private static final String IDENTIFIER_TYPES = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203";
    /** idNat_PS: "8" + RPPS (11 digits) or "0" + ADELI (9 digits). */
    private static final Pattern PROFESSIONAL_ID = Pattern.compile("8\\d{11}|0\\d{9}");
    private static final Pattern STRUCTURE_ID = Pattern.compile("[0-9A-Za-z]{2,40}");

    private static final Logger LOG = LoggerFactory.getLogger(MailboxPublication.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    public MailboxPublication(Clock clock) {
        this.clock = clock;
    }

    /** Writes the export of the source's mailboxes to {@code file}, atomically (a temporary file, then a move). */
    public PublicationReport publish(PublishedMailboxSource source, PublicationAudience audience, Path file)
        throws IOException, SQLException {
        List<PublishedMailbox> mailboxes = source.mailboxes();
        Path absolute = file.toAbsolutePath();
        Path temporary = Files.createTempFile(absolute.getParent(), ".publication-", ".json");
        try {
            PublicationReport report;
            try (OutputStream out = Files.newOutputStream(temporary)) {
                report = write(mailboxes, audience, out);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Published {} mailboxes in {} resources to {} ({}; {} rejected, {} red-listed left out)",
                report.published(), report.resources(), absolute.getFileName(), audience, report.rejected().size(),
                report.redListedLeftOut());
            return report;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Writes the Bundle (UTF-8 JSON) to {@code out}, which stays open. */
    public PublicationReport write(List<PublishedMailbox> mailboxes, PublicationAudience audience, OutputStream out)
        throws IOException {
        Map<String, Holder> holders = new TreeMap<>();
        List<PublicationReport.Rejected> rejected = new ArrayList<>();
        int redListed = 0;
        int notPublishable = 0;
        int published = 0;
        for (PublishedMailbox m : mailboxes) {
            if (!m.publishable()) {
                notPublishable++;
                continue;
            }
            if (m.listeRouge() && audience == PublicationAudience.PUBLIC) {
                redListed++;
                continue;
            }
            String problem = problem(m);
            if (problem != null) {
                rejected.add(new PublicationReport.Rejected(m.address(), problem));
                continue;
            }
            Holder holder = Holder.of(m);
            holders.computeIfAbsent(holder.key(), k -> holder).mailboxes.add(m);
            published++;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ObjectNode bundle = JSON.objectNode();
        bundle.put("resourceType", "Bundle");
        bundle.put("id", UUID.randomUUID().toString());
        bundle.putObject("meta").put("lastUpdated", now.toString());
        bundle.put("type", "collection");
        bundle.put("timestamp", now.toString());
        ArrayNode entries = bundle.putArray("entry");
        for (Holder holder : holders.values()) {
            ObjectNode resource = holder.resource(audience);
            ObjectNode entry = entries.addObject();
            entry.put("fullUrl", "urn:uuid:" + resource.get("id").asText());
            entry.set("resource", resource);
        }
        mapper.writerWithDefaultPrettyPrinter().writeValue(out, bundle);
        out.flush();
        return new PublicationReport(published, holders.size(), redListed, notPublishable, List.copyOf(rejected));
    }

    private static String problem(PublishedMailbox m) {
        if (m.address().indexOf('@') <= 0) {
            return "not an e-mail address";
        }
        if (m.kind().heldByPerson()) {
            if (m.holderId() == null || !PROFESSIONAL_ID.matcher(m.holderId()).matches()) {
                return "a " + m.kind() + " mailbox needs the holder's national id (8 + RPPS or 0 + ADELI)";
            }
            if (m.structureId() != null && !STRUCTURE_ID.matcher(m.structureId()).matches()) {
                return "malformed structure id";
            }
        } else if (m.holderId() == null || !STRUCTURE_ID.matcher(m.holderId()).matches()) {
            return "an " + m.kind() + " mailbox needs its structure's national id (idNat_Struct)";
        }
        return null;
    }

    /** The resource that carries some mailboxes: a Practitioner, a PractitionerRole or an Organization. */
    private record Holder(String type, String holderId, String structureId, List<PublishedMailbox> mailboxes) {

        static Holder of(PublishedMailbox m) {
            if (!m.kind().heldByPerson()) {
                return new Holder("Organization", m.holderId(), null, new ArrayList<>());
            }
            return m.structureId() == null ? new Holder("Practitioner", m.holderId(), null, new ArrayList<>())
                : new Holder("PractitionerRole", m.holderId(), m.structureId(), new ArrayList<>());
        }

        String key() {
            return type + "|" + holderId + "|" + (structureId == null ? "" : structureId);
        }

        ObjectNode resource(PublicationAudience audience) {
            ObjectNode r = JSON.objectNode();
            r.put("resourceType", type);
            r.put("id", UUID.nameUUIDFromBytes(key().getBytes(StandardCharsets.UTF_8)).toString());
            String profile = switch (type) {
                case "Practitioner" -> "as-practitioner";
                case "PractitionerRole" -> "as-practitionerrole";
                default -> "as-organization";
            };
            r.putObject("meta").putArray("profile").add(IG + profile);
            switch (type) {
                case "Practitioner" -> r.putArray("identifier").add(identifier(ID_NAT_PS, "IDNPS", holderId));
                case "PractitionerRole" -> {
                    r.putObject("practitioner").set("identifier", identifier(ID_NAT_PS, "IDNPS", holderId));
                    r.putObject("organization").set("identifier", identifier(ID_NAT_STRUCT, "IDNST", structureId));
                }
                default -> r.putArray("identifier").add(identifier(ID_NAT_STRUCT, "IDNST", holderId));
            }
            r.put("active", true);
            ArrayNode telecom = r.putArray("telecom");
            mailboxes.stream()
                .sorted(Comparator.comparing((PublishedMailbox m) -> rank(m) == null ? Integer.MAX_VALUE : rank(m))
                    .thenComparing(PublishedMailbox::address))
                .forEach(m -> telecom.add(contactPoint(m, audience)));
            return r;
        }
    }

    private static ObjectNode identifier(String system, String typeCode, String value) {
        ObjectNode id = JSON.objectNode();
        id.put("use", "official");
        id.putObject("type").putArray("coding").addObject().put("system", IDENTIFIER_TYPES).put("code", typeCode);
        id.put("system", system);
        id.put("value", value);
        return id;
    }

    private static Integer rank(PublishedMailbox m) {
        return m.preferredRank() != null && m.preferredRank() >= 1 ? m.preferredRank() : null;
    }

    static ObjectNode contactPoint(PublishedMailbox m, PublicationAudience audience) {
        ObjectNode cp = JSON.objectNode();
        ArrayNode extensions = cp.putArray("extension");
        extensions.addObject().put("url", EMAIL_TYPE_EXTENSION)
            .putObject("valueCoding").put("system", EMAIL_TYPE_SYSTEM).put("code", "MSSANTE");
        ObjectNode metadata = extensions.addObject();
        metadata.put("url", METADATA_EXTENSION);
        ArrayNode sub = metadata.putArray("extension");
        sub.addObject().put("url", "type").putObject("valueCodeableConcept").putArray("coding").addObject()
            .put("system", MAILBOX_TYPE_SYSTEM).put("code", m.kind().name());
        addString(sub, "description", m.description());
        if (audience == PublicationAudience.NATIONAL_DIRECTORY) {
            addString(sub, "responsible", m.responsible());
        }
        addString(sub, "service", m.service());
        sub.addObject().put("url", "listeRouge").put("valueBoolean", m.listeRouge());
        cp.put("system", "email");
        cp.put("value", m.address());
        Integer rank = rank(m);
        if (rank != null) {
            cp.put("rank", rank);
        }
        return cp;
    }

    private static void addString(ArrayNode extensions, String url, String value) {
        if (value != null && !value.isBlank()) {
            extensions.addObject().put("url", url).put("valueString", value.trim());
        }
    }
}
