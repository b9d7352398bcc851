package fr.mssante.operator.directory.fhir;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads the MSSanté mailboxes out of a FHIR resource's {@code telecom} (other e-mails are ignored). */
final class FhirTelecomReader {

    private FhirTelecomReader() {
    }

    static List<FhirMailbox> mailboxes(JsonNode resource, String nationalId) {
        List<FhirMailbox> out = new ArrayList<>();
        String owner = resource.path("resourceType").asText() + "/" + resource.path("id").asText();
        for (JsonNode telecom : resource.path("telecom")) {
            if (!"email".equals(telecom.path("system").asText())) {
                continue;
            }
            JsonNode metadata = extension(telecom, AnnuaireFhirClient.MSS_METADATA);
            if (metadata == null) {
                continue;
            }
            JsonNode type = extension(metadata, "type");
            JsonNode listeRouge = extension(metadata, "listeRouge");
            out.add(new FhirMailbox(telecom.path("value").asText(),
                type == null ? null : type.path("valueCodeableConcept").path("coding").path(0).path("code").asText(null),
                text(extension(metadata, "description")), text(extension(metadata, "service")),
                text(extension(metadata, "responsible")),
                listeRouge != null && listeRouge.path("valueBoolean").asBoolean(false), owner, nationalId));
        }
        return out;
    }

    private static JsonNode extension(JsonNode node, String url) {
        for (JsonNode ext : node.path("extension")) {
            if (url.equals(ext.path("url").asText())) {
                return ext;
            }
        }
        return null;
    }

    private static String text(JsonNode ext) {
        return ext == null ? null : ext.path("valueString").asText(null);
    }
}
