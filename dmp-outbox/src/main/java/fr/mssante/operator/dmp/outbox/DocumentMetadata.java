package fr.mssante.operator.dmp.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * The XDS metadata of one document, extracted by the mail server from the CDA header (and the XDM METADATA.XML when
 * present). The connector derives the rest (classCode, patient CX, hash, size, submission set).
 *
 * @param documentUniqueId the CDA {@code id} as an XDS uniqueId ({@code root^extension} or OID)
 * @param setId the CDA {@code setId}, may be null
 * @param title the document title, may be null
 * @param typeCode the CDA {@code code} (LOINC)
 * @param formatCode the XDS formatCode (e.g. {@code urn:ihe:iti:xds-sd:pdf:2008})
 * @param confidentiality the confidentialityCode (e.g. {@code N} in {@code 2.16.840.1.113883.5.25}), may be null
 * @param languageCode e.g. {@code fr-FR}, may be null
 * @param creationTime the CDA {@code effectiveTime}
 * @param serviceStart the documented act's start, may be null
 * @param serviceStop the documented act's end, may be null
 * @param patient the patient (INS and traits)
 * @param author the author, may be null
 * @param institution the author's institution, may be null
 */
public record DocumentMetadata(String documentUniqueId, String setId, String title, Code typeCode, Code formatCode,
                               Code confidentiality, String languageCode, Instant creationTime, Instant serviceStart,
                               Instant serviceStop, PatientIdentity patient, DocumentAuthor author,
                               Institution institution) {
    public DocumentMetadata {
        Objects.requireNonNull(documentUniqueId, "documentUniqueId");
        Objects.requireNonNull(typeCode, "typeCode");
        Objects.requireNonNull(formatCode, "formatCode");
        Objects.requireNonNull(creationTime, "creationTime");
        Objects.requireNonNull(patient, "patient");
    }
}
