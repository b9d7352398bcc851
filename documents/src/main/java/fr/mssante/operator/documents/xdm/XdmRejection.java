package fr.mssante.operator.documents.xdm;

/** Why an archive is not a usable XDM package. */
public enum XdmRejection {
    /** No {@code IHE_XDM/<subset>/METADATA.XML}. */
    NO_METADATA,
    /** METADATA.XML has a DOCTYPE (XXE, billion laughs): refused without reading any entity. */
    METADATA_DOCTYPE_FORBIDDEN,
    /** METADATA.XML is not well-formed (or too deep / too large). */
    METADATA_MALFORMED
}
