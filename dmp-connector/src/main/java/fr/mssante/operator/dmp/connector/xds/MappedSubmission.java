package fr.mssante.operator.dmp.connector.xds;

import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;

/**
 * An outbox submission as an ITI-41 request.
 *
 * @param request the XDS request (submission set, one document entry, the document, the association)
 * @param patientCx the patient id as CX ({@code matricule^^^&OID&ISO^NH}), also the VIHF resource id
 * @param submissionSetUniqueId the OID generated for the submission set
 * @param sha1 the document's SHA-1 (hex)
 * @param size the document's size in bytes
 */
public record MappedSubmission(ProvideAndRegisterDocumentSet request, String patientCx, String submissionSetUniqueId,
                               String sha1, long size) {
}
