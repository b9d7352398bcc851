package fr.mssante.operator.documents.xdm;

import java.util.List;
import java.util.Optional;

import fr.mssante.operator.documents.zip.ArchiveEntry;

/**
 * One {@code XDSDocumentEntry} ({@code ExtrinsicObject}) of an XDM submission set, with the archive entry its
 * {@code URI} slot points to.
 *
 * @param entryId              the ExtrinsicObject {@code id}
 * @param mimeType             its {@code mimeType} ({@code text/xml} for a CDA)
 * @param uniqueId             XDSDocumentEntry.uniqueId (the CDA {@code id})
 * @param patientId            XDSDocumentEntry.patientId (the INS as CX)
 * @param uri                  the URI slot, as written (split values joined)
 * @param archiveEntry         the archive entry the URI resolves to
 * @param typeCode             typeCode (LOINC)
 * @param classCode            classCode
 * @param formatCode           formatCode
 * @param confidentialityCodes confidentialityCode(s)
 * @param title                the Name
 * @param hash                 the SHA-1 hash slot
 * @param size                 the size slot
 * @param creationTime         the creationTime slot
 */
public record XdmDocumentEntry(
    String entryId,
    String mimeType,
    Optional<String> uniqueId,
    Optional<CxIdentifier> patientId,
    Optional<String> uri,
    Optional<ArchiveEntry> archiveEntry,
    Optional<XdsCode> typeCode,
    Optional<XdsCode> classCode,
    Optional<XdsCode> formatCode,
    List<XdsCode> confidentialityCodes,
    Optional<String> title,
    Optional<String> hash,
    Optional<Long> size,
    Optional<String> creationTime) {

    public XdmDocumentEntry {
        confidentialityCodes = List.copyOf(confidentialityCodes);
    }
}
