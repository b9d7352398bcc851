package fr.mssante.operator.dmp.standin.xds;

import static org.openehealth.ipf.platform.camel.ihe.xds.XdsCamelValidators.iti18RequestValidator;
import static org.openehealth.ipf.platform.camel.ihe.xds.XdsCamelValidators.iti41RequestValidator;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.namespace.QName;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.headers.Header;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.EbXMLExternalIdentifier;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.EbXMLRegistryObject;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLProvideAndRegisterDocumentSetRequest30;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.ProvideAndRegisterDocumentSetRequestType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Hl7v2Based;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Person;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Vocabulary;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Severity;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.openehealth.ipf.platform.camel.ihe.ws.AbstractWsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

import fr.mssante.operator.dmp.standin.store.DocumentStore;
import fr.mssante.operator.dmp.standin.store.StoredDocument;
import fr.mssante.operator.dmp.standin.vihf.VerifiedVihf;
import fr.mssante.operator.dmp.standin.vihf.VihfException;
import fr.mssante.operator.dmp.standin.vihf.VihfVerifier;

/**
 * ITI-41 (Provide and Register Document Set-b) and ITI-18 (Registry Stored Query, FindDocuments) at the DMP's paths.
 * Both require a valid VIHF (else a SOAP fault {@code wsse:InvalidSecurity}); ITI-41 requests are validated by IPF
 * (XDS metadata errors in the response), then checked: VIHF patient = submission patient, patient not listed as
 * unknown (XDSUnknownPatientId), hash and size as declared, unique id not already filed
 * (XDSDuplicateUniqueIdInRegistry / XDSNonIdenticalHash).
 */
public final class XdsRoutes extends RouteBuilder {
    public static final String REPOSITORY_PATH = "si-dmp-server/v2/services/repository";
    public static final String REGISTRY_PATH = "si-dmp-server/v2/services/registry";
    public static final String REPOSITORY_UNIQUE_ID = "1.2.250.1.213.1.2.2.9999";
    private static final Logger LOGGER = LoggerFactory.getLogger(XdsRoutes.class);
    private static final String WSSE_NS =
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static final QName SECURITY = new QName(WSSE_NS, "Security");
    private static final String VIHF = "mss.vihf";
    private static final String INS_TYPE_CODE = "mss.insTypeCode";

    private final VihfVerifier verifier;
    private final DocumentStore store;
    private final Set<String> unknownPatients;
    private final Clock clock;

    /**
     * @param unknownPatients INS matricules answered XDSUnknownPatientId (to simulate rejections)
     */
    public XdsRoutes(VihfVerifier verifier, DocumentStore store, Set<String> unknownPatients, Clock clock) {
        this.verifier = verifier;
        this.store = store;
        this.unknownPatients = Set.copyOf(unknownPatients);
        this.clock = clock;
    }

    @Override
    public void configure() {
        errorHandler(noErrorHandler());
        String options = "?audit=false&inInterceptors=#wsSecurityUnderstanding";

        from("xds-iti41:" + REPOSITORY_PATH + options)
            .routeId("iti41")
            .process(this::checkVihf)
            .process(XdsRoutes::acceptInsTypeCode)
            .process(iti41RequestValidator())
            .process(this::provideAndRegister);

        from("xds-iti18:" + REGISTRY_PATH + options)
            .routeId("iti18")
            .process(this::checkVihf)
            .process(iti18RequestValidator())
            .process(this::findDocuments);
    }

    private void checkVihf(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<QName, Header> headers = exchange.getIn().getHeader(AbstractWsEndpoint.INCOMING_SOAP_HEADERS, Map.class);
        Header security = headers == null ? null : headers.get(SECURITY);
        if (security == null || !(security.getObject() instanceof Element element)) {
            throw fault("a wsse:Security header with a VIHF assertion is required");
        }
        try {
            exchange.setProperty(VIHF, verifier.verify(element));
        } catch (VihfException e) {
            LOGGER.debug("VIHF refused: {}", e.getMessage());
            throw fault("VIHF refused: " + e.getMessage());
        }
    }

    /**
     * The CI-SIS writes the INS as {@code matricule^^^&OID&ISO^NH} (CX.5 = NH), which IPF's IHE-strict validator
     * refuses (CX.1 and CX.4 only). Like the DMP, accept it: strip it before validation, remember it was there.
     */
    private static void acceptInsTypeCode(Exchange exchange) {
        ProvideAndRegisterDocumentSetRequestType body =
            exchange.getIn().getBody(ProvideAndRegisterDocumentSetRequestType.class);
        EbXMLProvideAndRegisterDocumentSetRequest30 ebXml = new EbXMLProvideAndRegisterDocumentSetRequest30(body);
        List<EbXMLRegistryObject> objects = new ArrayList<>(ebXml.getExtrinsicObjects());
        objects.addAll(ebXml.getRegistryPackages());
        for (EbXMLRegistryObject o : objects) {
            for (EbXMLExternalIdentifier id : o.getExternalIdentifiers()) {
                String scheme = id.getIdentificationScheme();
                if ((Vocabulary.DOC_ENTRY_PATIENT_ID_EXTERNAL_ID.equals(scheme)
                    || Vocabulary.SUBMISSION_SET_PATIENT_ID_EXTERNAL_ID.equals(scheme))
                    && id.getValue() != null && id.getValue().endsWith("&ISO^NH")) {
                    id.setValue(id.getValue().substring(0, id.getValue().length() - 3));
                    exchange.setProperty(INS_TYPE_CODE, "^NH");
                }
            }
        }
    }

    private static SoapFault fault(String message) {
        SoapFault fault = new SoapFault(message, new QName(WSSE_NS, "InvalidSecurity", "wsse"));
        fault.setStatusCode(500);
        return fault;
    }

    private void provideAndRegister(Exchange exchange) throws IOException, SQLException {
        ProvideAndRegisterDocumentSet request = exchange.getIn().getBody(ProvideAndRegisterDocumentSet.class);
        VerifiedVihf vihf = exchange.getProperty(VIHF, VerifiedVihf.class);
        Identifiable patient = request.getSubmissionSet().getPatientId();
        List<ErrorInfo> errors = new ArrayList<>();

        Identifiable vihfPatient = Hl7v2Based.parse(vihf.resourceId(), Identifiable.class);
        if (vihfPatient == null || !patient.getId().equals(vihfPatient.getId())
            || !patient.getAssigningAuthority().getUniversalId()
                .equals(vihfPatient.getAssigningAuthority() == null ? null
                    : vihfPatient.getAssigningAuthority().getUniversalId())) {
            errors.add(error(ErrorCode.PATIENT_ID_DOES_NOT_MATCH, "the VIHF resource-id is another patient"));
        }
        if (unknownPatients.contains(patient.getId())) {
            errors.add(error(ErrorCode.UNKNOWN_PATIENT_ID, "patient unknown to the DMP (no DMP for this INS)"));
        }

        List<StoredDocument> documents = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        String patientCx = Hl7v2Based.render(patient) + exchange.getProperty(INS_TYPE_CODE, "", String.class);
        for (Document d : request.getDocuments()) {
            byte[] bytes;
            try (InputStream in = d.getDataHandler().getInputStream()) {
                bytes = in.readAllBytes();
            }
            DocumentEntry e = d.getDocumentEntry();
            String hash = sha1(bytes);
            if (e.getHash() != null && !e.getHash().equalsIgnoreCase(hash)) {
                errors.add(error(ErrorCode.NON_IDENTICAL_HASH, "hash of " + e.getUniqueId() + " is not the content's"));
            }
            if (e.getSize() != null && e.getSize() != bytes.length) {
                errors.add(error(ErrorCode.NON_IDENTICAL_SIZE, "size of " + e.getUniqueId() + " is not the content's"));
            }
            documents.add(new StoredDocument(e.getUniqueId(), e.getEntryUuid(),
                request.getSubmissionSet().getUniqueId(), request.getSubmissionSet().getSourceId(), patientCx,
                render(e.getTypeCode()), render(e.getClassCode()), render(e.getFormatCode()),
                e.getConfidentialityCodes().isEmpty() ? null : render(e.getConfidentialityCodes().get(0)),
                render(e.getHealthcareFacilityTypeCode()), render(e.getPracticeSettingCode()),
                e.getTitle() == null ? null : e.getTitle().getValue(), e.getMimeType(), e.getLanguageCode(),
                e.getCreationTime() == null ? null : e.getCreationTime().toHL7(),
                e.getAuthors().isEmpty() || e.getAuthors().get(0).getAuthorPerson() == null ? null
                    : Hl7v2Based.render(e.getAuthors().get(0).getAuthorPerson()),
                e.getAuthors().isEmpty() || e.getAuthors().get(0).getAuthorInstitution().isEmpty() ? null
                    : Hl7v2Based.render(e.getAuthors().get(0).getAuthorInstitution().get(0)),
                bytes.length, hash, AvailabilityStatus.APPROVED.name(), vihf.nameId(), vihf.issuer(),
                clock.instant()));
            contents.add(bytes);
        }

        if (errors.isEmpty()) {
            List<DocumentStore.Insertion> results = store.storeAll(documents, contents);
            for (int i = 0; i < results.size(); i++) {
                switch (results.get(i)) {
                    case DUPLICATE_SAME_HASH -> errors.add(error(ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY,
                        "document " + documents.get(i).uniqueId() + " is already filed"));
                    case DUPLICATE_OTHER_HASH -> errors.add(error(ErrorCode.NON_IDENTICAL_HASH,
                        "another document with unique id " + documents.get(i).uniqueId() + " is already filed"));
                    default -> { }
                }
            }
        }
        Response response;
        if (errors.isEmpty()) {
            response = new Response(Status.SUCCESS);
            LOGGER.debug("ITI-41: filed {} document(s)", documents.size());
        } else {
            response = new Response(Status.FAILURE);
            response.getErrors().addAll(errors);
            LOGGER.debug("ITI-41 refused: {} error(s)", errors.size());
        }
        exchange.getMessage().setBody(response);
    }

    private void findDocuments(Exchange exchange) throws SQLException {
        QueryRegistry request = exchange.getIn().getBody(QueryRegistry.class);
        QueryResponse response;
        if (request.getQuery() instanceof FindDocumentsQuery find) {
            VerifiedVihf vihf = exchange.getProperty(VIHF, VerifiedVihf.class);
            String patientCx = Hl7v2Based.render(find.getPatientId());
            String withTypeCode = patientCx + "^NH";
            response = new QueryResponse(Status.SUCCESS);
            Identifiable vihfPatient = Hl7v2Based.parse(vihf.resourceId(), Identifiable.class);
            if (vihfPatient != null && vihfPatient.getId().equals(find.getPatientId().getId())) {
                List<StoredDocument> found = new ArrayList<>(store.byPatient(patientCx));
                found.addAll(store.byPatient(withTypeCode));
                for (StoredDocument d : found) {
                    if (request.getReturnType() == QueryReturnType.LEAF_CLASS) {
                        response.getDocumentEntries().add(entry(d));
                    } else {
                        response.getReferences().add(new ObjectReference(d.entryUuid()));
                    }
                }
            } else {
                response = new QueryResponse(Status.FAILURE);
                response.getErrors().add(error(ErrorCode.PATIENT_ID_DOES_NOT_MATCH,
                    "the VIHF resource-id is another patient"));
            }
        } else {
            response = new QueryResponse(Status.FAILURE);
            response.getErrors().add(error(ErrorCode.REGISTRY_ERROR, "the stand-in answers FindDocuments only"));
        }
        exchange.getMessage().setBody(response);
    }

    private static DocumentEntry entry(StoredDocument d) {
        DocumentEntry e = new DocumentEntry();
        e.setEntryUuid(d.entryUuid());
        e.setUniqueId(d.uniqueId());
        e.setPatientId(Hl7v2Based.parse(d.patientId(), Identifiable.class));
        e.setAvailabilityStatus(AvailabilityStatus.valueOf(d.state()));
        e.setTypeCode(code(d.typeCode()));
        e.setClassCode(code(d.classCode()));
        e.setFormatCode(code(d.formatCode()));
        if (d.confidentialityCode() != null) {
            e.getConfidentialityCodes().add(code(d.confidentialityCode()));
        }
        e.setHealthcareFacilityTypeCode(code(d.healthcareFacilityTypeCode()));
        e.setPracticeSettingCode(code(d.practiceSettingCode()));
        if (d.title() != null) {
            e.setTitle(new LocalizedString(d.title(), "fr-FR", "UTF-8"));
        }
        e.setMimeType(d.mimeType());
        e.setLanguageCode(d.languageCode());
        e.setCreationTime(d.creationTime());
        e.setHash(d.hash());
        e.setSize(d.size());
        e.setRepositoryUniqueId(REPOSITORY_UNIQUE_ID);
        if (d.authorPerson() != null) {
            Author a =
                new Author();
            a.setAuthorPerson(Hl7v2Based.parse(d.authorPerson(), Person.class));
            e.getAuthors().add(a);
        }
        return e;
    }

    /** Codes are stored as {@code code^displayName^codingScheme} (the display name travels in the ebXML Name). */
    private static Code code(String text) {
        if (text == null) {
            return null;
        }
        String[] p = text.split("\\^", -1);
        return new Code(p[0], p.length > 1 && !p[1].isEmpty() ? new LocalizedString(p[1], "fr-FR", "UTF-8") : null,
            p.length > 2 ? p[2] : null);
    }

    private static String render(Code c) {
        if (c == null) {
            return null;
        }
        String display = c.getDisplayName() == null || c.getDisplayName().getValue() == null ? ""
            : c.getDisplayName().getValue().replace("^", " ");
        return c.getCode() + "^" + display + "^" + (c.getSchemeName() == null ? "" : c.getSchemeName());
    }

    private static ErrorInfo error(ErrorCode code, String context) {
        return new ErrorInfo(code, context, Severity.ERROR, null, null);
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
