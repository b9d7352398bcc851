package fr.mssante.operator.documents.xdm;

import java.util.Optional;

/**
 * An HL7v2 CX identifier as XDS writes a patient id: {@code <id>^^^&<authority OID>&ISO^<type>}, e.g.
 * {@code 162018885045327^^^&1.2.250.1.213.1.4.10&ISO^NH}.
 */
public record CxIdentifier(String id, String authorityOid, Optional<String> typeCode) {
    /** Parses a CX value; empty when it has no id or no authority OID. */
    public static Optional<CxIdentifier> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] components = value.trim().split("\\^", -1);
        String id = components[0].trim();
        if (id.isEmpty() || components.length < 4) {
            return Optional.empty();
        }
        String[] authority = components[3].split("&", -1);
        String oid = authority.length > 1 ? authority[1].trim() : "";
        if (oid.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> type = components.length > 4 && !components[4].isBlank()
            ? Optional.of(components[4].trim()) : Optional.empty();
        return Optional.of(new CxIdentifier(id, oid, type));
    }

    @Override
    public String toString() {
        return "CxIdentifier[***, " + authorityOid + "]";
    }
}
