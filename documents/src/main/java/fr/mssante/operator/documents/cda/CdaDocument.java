package fr.mssante.operator.documents.cda;

import java.util.List;
import java.util.Optional;

/**
 * The CDA R2 header facts the mail server and DMP filing need, and the embedded PDFs. No clinical body content.
 *
 * @param id                  {@code ClinicalDocument/id}
 * @param setId               {@code setId}
 * @param versionNumber       {@code versionNumber/@value}
 * @param code                {@code code}: the document type (LOINC), i.e. the XDS typeCode
 * @param title               {@code title}
 * @param effectiveTime       {@code effectiveTime/@value} (HL7 TS)
 * @param confidentialityCode {@code confidentialityCode}
 * @param languageCode        {@code languageCode/@code}
 * @param templateIds         the header templateIds
 * @param patient             {@code recordTarget/patientRole}
 * @param authors             the authors
 * @param custodian           {@code custodian/assignedCustodian/representedCustodianOrganization}
 * @param body                body kind
 * @param pdfs                embedded PDFs that decoded
 * @param formatCode          the formatCode declared by the templateIds ({@link FormatCodes})
 * @param issues              non-fatal findings
 * @param replaces            {@code relatedDocument[@typeCode='RPLC']/parentDocument/id}: this version replaces that
 *                            document (a replacement request in the ANS volet's terms)
 */
public record CdaDocument(
    Optional<InstanceId> id,
    Optional<InstanceId> setId,
    Optional<String> versionNumber,
    Optional<CodedValue> code,
    Optional<String> title,
    Optional<String> effectiveTime,
    Optional<CodedValue> confidentialityCode,
    Optional<String> languageCode,
    List<InstanceId> templateIds,
    Optional<CdaPatient> patient,
    List<CdaAuthor> authors,
    Optional<CdaOrganisation> custodian,
    BodyKind body,
    List<EmbeddedPdf> pdfs,
    Optional<String> formatCode,
    List<CdaIssue> issues,
    Optional<InstanceId> replaces) {

    public CdaDocument {
        templateIds = List.copyOf(templateIds);
        authors = List.copyOf(authors);
        pdfs = List.copyOf(pdfs);
        issues = List.copyOf(issues);
    }

    /** At least one embedded PDF that starts with {@code %PDF-}. */
    public boolean hasPdf() {
        return pdfs.stream().anyMatch(EmbeddedPdf::pdfHeader);
    }

    /** The first author, the one XDS authorPerson/authorInstitution are made from. */
    public Optional<CdaAuthor> author() {
        return authors.isEmpty() ? Optional.empty() : Optional.of(authors.get(0));
    }
}
