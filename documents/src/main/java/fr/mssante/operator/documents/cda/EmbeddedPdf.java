package fr.mssante.operator.documents.cda;

import java.util.Optional;

import fr.mssante.operator.documents.content.Content;

/**
 * A PDF carried inside a CDA.
 *
 * @param location   where: N1 {@code nonXMLBody/text} or N3 {@code observationMedia/value}
 * @param mediaId    the {@code observationMedia/@ID} (N3)
 * @param content    the decoded bytes
 * @param pdfHeader  the bytes start with {@code %PDF-}
 */
public record EmbeddedPdf(Location location, Optional<String> mediaId, Content content, boolean pdfHeader) {
    public enum Location {
        /** Level 1 (non-structured) body: {@code component/nonXMLBody/text[@mediaType='application/pdf']}. */
        NON_XML_BODY,
        /** Level 3 body: {@code observationMedia/value[@mediaType='application/pdf']} (section 55107-7). */
        OBSERVATION_MEDIA
    }
}
