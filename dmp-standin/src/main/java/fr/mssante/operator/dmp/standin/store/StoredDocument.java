package fr.mssante.operator.dmp.standin.store;

import java.time.Instant;

/**
 * One filed document. Codes are HL7 v2 CE strings ({@code code^display^system}), persons XCN, organisations XON,
 * the patient id CX, as the XDS metadata carried them.
 */
public record StoredDocument(String uniqueId, String entryUuid, String submissionSetUniqueId, String sourceId,
                             String patientId, String typeCode, String classCode, String formatCode,
                             String confidentialityCode, String healthcareFacilityTypeCode,
                             String practiceSettingCode, String title, String mimeType, String languageCode,
                             String creationTime, String authorPerson, String authorInstitution, long size,
                             String hash, String state, String vihfSubject, String vihfIssuer, Instant receivedAt) {
}
