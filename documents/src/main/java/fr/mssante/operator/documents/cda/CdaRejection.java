package fr.mssante.operator.documents.cda;

/** Why bytes were not accepted as a CDA document. */
public enum CdaRejection {
    /** A DOCTYPE (XXE, billion laughs, external DTD): refused before any entity is read. */
    DOCTYPE_FORBIDDEN,
    /** Not well-formed XML. */
    MALFORMED_XML,
    /** Well-formed, but the root is not {@code ClinicalDocument} in {@code urn:hl7-org:v3}. */
    NOT_CDA,
    /** Nested deeper than the limit. */
    TOO_DEEP,
    /** Header or embedded data beyond the limits. */
    TOO_LARGE,
    /** The bytes could not be read. */
    UNREADABLE
}
