package fr.mssante.operator.trust.source;

/**
 * A downloaded liste blanche document.
 *
 * @param content the raw bytes
 * @param origin the file path or URL it came from
 */
public record FetchedDocument(byte[] content, String origin) {
}
