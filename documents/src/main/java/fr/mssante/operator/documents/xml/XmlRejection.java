package fr.mssante.operator.documents.xml;

/** Why an XML document was refused by the hardened parser. */
public enum XmlRejection {
    /**
     * The document has a DOCTYPE. DTDs are refused outright ({@code disallow-doctype-decl}): this is what blocks XXE
     * (external entities), billion-laughs entity expansion and external DTD fetches, before any entity is read.
     */
    DOCTYPE_FORBIDDEN,
    /** Not well-formed XML (or an undeclared entity reference, or an unsupported encoding). */
    MALFORMED,
    /** Elements nested deeper than the limit. */
    TOO_DEEP,
    /** More elements or text than the limit. */
    TOO_LARGE,
    /** The root element is not the one the caller expects (e.g. not a CDA {@code ClinicalDocument}). */
    UNEXPECTED_ROOT,
    /** The bytes could not be read. */
    UNREADABLE
}
