package fr.mssante.operator.documents.xdm;

import java.util.List;
import java.util.Optional;

/**
 * One submission set folder: {@code IHE_XDM/SUBSET01/} (most writers) or {@code IHE_XDM/SS000001/} (ANS DRIM-M).
 *
 * @param directory            the folder, e.g. {@code IHE_XDM/SUBSET01/}
 * @param submissionSetUniqueId XDSSubmissionSet.uniqueId
 * @param submissionPatientId  XDSSubmissionSet.patientId
 * @param documents            the document entries
 */
public record XdmSubset(String directory, Optional<String> submissionSetUniqueId, Optional<CxIdentifier> submissionPatientId,
                        List<XdmDocumentEntry> documents) {
    public XdmSubset {
        documents = List.copyOf(documents);
    }
}
