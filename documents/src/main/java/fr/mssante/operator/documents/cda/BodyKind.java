package fr.mssante.operator.documents.cda;

/** The CDA body: level 1 ({@code nonXMLBody}) or structured ({@code structuredBody}), or none. */
public enum BodyKind {
    NON_XML,
    STRUCTURED,
    NONE
}
