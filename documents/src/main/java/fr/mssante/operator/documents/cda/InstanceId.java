package fr.mssante.operator.documents.cda;

import java.util.Optional;

/** An HL7 v3 II: {@code root} (an OID or UUID) and an optional {@code extension}. */
public record InstanceId(String root, Optional<String> extension) {
    public static InstanceId of(String root, String extension) {
        return new InstanceId(root, Optional.ofNullable(extension));
    }

    /** {@code root^extension}, or {@code root} alone: the XDS uniqueId form of a CDA id. */
    public String asString() {
        return extension.map(e -> root + "^" + e).orElse(root);
    }
}
