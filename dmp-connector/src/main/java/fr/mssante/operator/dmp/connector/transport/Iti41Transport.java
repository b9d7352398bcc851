package fr.mssante.operator.dmp.connector.transport;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.xml.namespace.QName;

import jakarta.xml.ws.BindingProvider;
import jakarta.xml.ws.WebServiceException;
import jakarta.xml.ws.soap.SOAPFaultException;

import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.binding.soap.SoapHeader;
import org.apache.cxf.headers.Header;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.openehealth.ipf.commons.ihe.ws.JaxWsClientFactory;
import org.openehealth.ipf.commons.ihe.ws.JaxWsRequestClientFactory;
import org.openehealth.ipf.commons.ihe.ws.WsSecurityInformation;
import org.openehealth.ipf.commons.ihe.ws.WsTransactionConfiguration;
import org.openehealth.ipf.commons.ihe.xds.XDS;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.EbXMLExternalIdentifier;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.EbXMLProvideAndRegisterDocumentSetRequest;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.EbXMLRegistryObject;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLFactory30;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.EbXMLRegistryResponse30;
import org.openehealth.ipf.commons.ihe.xds.core.ebxml.ebxml30.ProvideAndRegisterDocumentSetRequestType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Vocabulary;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Severity;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.openehealth.ipf.commons.ihe.xds.core.stub.ebrs30.rs.RegistryResponseType;
import org.openehealth.ipf.commons.ihe.xds.core.transform.requests.ProvideAndRegisterDocumentSetTransformer;
import org.openehealth.ipf.commons.ihe.xds.core.transform.responses.ResponseTransformer;
import org.openehealth.ipf.commons.ihe.xds.iti41.Iti41PortType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * ITI-41 (SOAP 1.2 + MTOM, WS-Addressing) with the plain IPF client (no Camel): a pooled CXF port per call, the VIHF
 * in {@code wsse:Security} (mustUnderstand), mutual TLS through {@link WsSecurityInformation}.
 */
public final class Iti41Transport implements DmpTransport {
    private static final Logger LOGGER = LoggerFactory.getLogger(Iti41Transport.class);
    private static final QName SECURITY = new QName(
        "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd", "Security");
    /** Registry answers that mean "later", not "no". */
    private static final Set<ErrorCode> TRANSIENT = EnumSet.of(ErrorCode.REGISTRY_BUSY, ErrorCode.REPOSITORY_BUSY,
        ErrorCode.REGISTRY_OUT_OF_RESOURCES, ErrorCode.REPOSITORY_OUT_OF_RESOURCES, ErrorCode.REGISTRY_NOT_AVAILABLE);

    private static final Pattern INS_CX_WITHOUT_TYPE =
        Pattern.compile("[^^]+\\^\\^\\^&1\\.2\\.250\\.1\\.213\\.1\\.4\\.[0-9]+&ISO");

    private final JaxWsClientFactory<?> factory;
    private final ProvideAndRegisterDocumentSetTransformer requestTransformer =
        new ProvideAndRegisterDocumentSetTransformer(new EbXMLFactory30());
    private final ResponseTransformer responseTransformer = new ResponseTransformer(new EbXMLFactory30());

    /**
     * @param url the repository endpoint ({@code https://…/repository}; {@code http://} only if allowed)
     * @param sslContext our client certificate and the trusted CAs; null only for plain HTTP
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Iti41Transport(URI url, SSLContext sslContext, Duration connectTimeout, Duration receiveTimeout) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        if (https && sslContext == null) {
            throw new IllegalArgumentException("an https DMP URL needs the TLS material");
        }
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setConnectionTimeout(connectTimeout.toMillis());
        policy.setReceiveTimeout(receiveTimeout.toMillis());
        policy.setAllowChunking(true);
        WsSecurityInformation security = https ? new WsSecurityInformation(true, sslContext, null, null, null) : null;
        WsTransactionConfiguration config = XDS.Interactions.ITI_41.getWsTransactionConfiguration();
        this.factory = new JaxWsRequestClientFactory(config, url.toString(), null, null, null, null, null, null,
            security, policy);
    }

    @Override
    public FilingOutcome provideAndRegister(ProvideAndRegisterDocumentSet request, Element securityHeader) {
        Object port = factory.getClient();
        try {
            BindingProvider bp = (BindingProvider) port;
            SoapHeader header = new SoapHeader(SECURITY, securityHeader);
            header.setMustUnderstand(true);
            List<Header> headers = new ArrayList<>();
            headers.add(header);
            bp.getRequestContext().put(Header.HEADER_LIST, headers);
            EbXMLProvideAndRegisterDocumentSetRequest<ProvideAndRegisterDocumentSetRequestType> ebXml = requestTransformer.toEbXML(request);
            addInsTypeCode(ebXml);
            RegistryResponseType raw = ((Iti41PortType) port).documentRepositoryProvideAndRegisterDocumentSetB(
                ebXml.getInternal());
            return outcome(responseTransformer.fromEbXML(new EbXMLRegistryResponse30(raw)));
        } catch (SOAPFaultException e) {
            String reason = "SOAP fault: " + e.getMessage();
            LOGGER.debug("ITI-41 answered a SOAP fault: {}", e.getMessage());
            return new FilingOutcome.Retry(reason);
        } catch (WebServiceException e) {
            SoapFault fault = soapFault(e);
            if (fault != null) {
                LOGGER.debug("ITI-41 answered a SOAP fault: {}", fault.getMessage());
                return new FilingOutcome.Retry("SOAP fault: " + fault.getMessage());
            }
            LOGGER.debug("ITI-41 transport failure", e);
            return new FilingOutcome.Retry("transport: " + rootMessage(e));
        } catch (RuntimeException e) {
            LOGGER.warn("ITI-41 call failed unexpectedly", e);
            return new FilingOutcome.Retry("client error: " + rootMessage(e));
        } finally {
            factory.restoreClient(port);
        }
    }

    /**
     * IPF renders patient ids with CX.1 and CX.4 only; the CI-SIS wants the INS with its identifier type code
     * ({@code ^NH}, CX.5). Added to the patientId external identifiers of INS OIDs ({@code 1.2.250.1.213.1.4.*}).
     */
    static void addInsTypeCode(EbXMLProvideAndRegisterDocumentSetRequest<?> ebXml) {
        List<EbXMLRegistryObject> objects = new ArrayList<>(ebXml.getExtrinsicObjects());
        objects.addAll(ebXml.getRegistryPackages());
        for (EbXMLRegistryObject o : objects) {
            for (EbXMLExternalIdentifier id : o.getExternalIdentifiers()) {
                String scheme = id.getIdentificationScheme();
                if ((Vocabulary.DOC_ENTRY_PATIENT_ID_EXTERNAL_ID.equals(scheme)
                    || Vocabulary.SUBMISSION_SET_PATIENT_ID_EXTERNAL_ID.equals(scheme))
                    && id.getValue() != null && INS_CX_WITHOUT_TYPE.matcher(id.getValue()).matches()) {
                    id.setValue(id.getValue() + "^NH");
                }
            }
        }
    }

    /**
     * A fault the server answered. CXF also wraps client-side I/O failures (connection refused, TLS handshake) in
     * a SoapFault: those have an IOException among their causes and are transport failures.
     */
    private static SoapFault soapFault(Throwable t) {
        SoapFault fault = null;
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            if (c instanceof IOException) {
                return null;
            }
            if (fault == null && c instanceof SoapFault f) {
                fault = f;
            }
        }
        return fault;
    }

    static FilingOutcome outcome(Response response) {
        if (response.getStatus() == Status.SUCCESS) {
            return new FilingOutcome.Accepted(null);
        }
        List<ErrorInfo> errors = response.getErrors().stream()
            .filter(e -> e.getSeverity() != Severity.WARNING).toList();
        if (response.getStatus() == Status.PARTIAL_SUCCESS || errors.isEmpty()) {
            return new FilingOutcome.Accepted(describe(response.getErrors()));
        }
        if (errors.stream().allMatch(e -> e.getErrorCode() == ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY)) {
            // our earlier attempt landed and its answer was lost (or another message carried the same document)
            return new FilingOutcome.Accepted("already in the DMP: " + describe(errors));
        }
        if (errors.stream().allMatch(e -> TRANSIENT.contains(e.getErrorCode()))) {
            return new FilingOutcome.Retry("registry busy: " + describe(errors));
        }
        return new FilingOutcome.Rejected(describe(errors));
    }

    static String describe(List<ErrorInfo> errors) {
        return errors.stream().map(e -> {
            String code = e.getErrorCode() == ErrorCode._USER_DEFINED || e.getErrorCode() == null
                ? e.getCustomErrorCode() : e.getErrorCode().getOpcode();
            return code + (e.getCodeContext() == null ? "" : ": " + e.getCodeContext());
        }).collect(Collectors.joining("; "));
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
