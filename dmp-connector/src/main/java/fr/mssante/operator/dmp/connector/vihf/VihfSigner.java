package fr.mssante.operator.dmp.connector.vihf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Builds the VIHF SAML 2.0 assertion for one submission and signs it with the organisation's key (enveloped XML
 * signature, exclusive c14n, RSA-SHA256, the certificate in X509Data, the Signature right after the Issuer), inside a
 * {@code wsse:Security} element ready to be sent as a SOAP header.
 *
 * <p>JDK XML DSig only (no OpenSAML/WSS4J: they do not resolve here, see docs/decisions/0005). The namespace
 * declarations are written as explicit attributes before signing: without them the verifier's canonical form differs
 * and every signature fails. Thread-safe.
 */
public final class VihfSigner {
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final SigningIdentity identity;
    private final VihfProfile profile;
    private final Clock clock;
    private final String issuer;

    public VihfSigner(SigningIdentity identity, VihfProfile profile, Clock clock) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = identity.certificate().getSubjectX500Principal().getName();
    }

    /** A new {@code wsse:Security} element (in its own DOM document) holding the signed assertion. */
    public Element securityHeader(VihfSubject subject) {
        Document doc = newDocument();
        Element security = doc.createElementNS(Vihf.WSSE_NS, "wsse:Security");
        security.setAttributeNS(Vihf.XMLNS_NS, "xmlns:wsse", Vihf.WSSE_NS);
        doc.appendChild(security);
        assertion(doc, security, subject);
        return security;
    }

    /** The signed assertion alone, as the root of its own document. */
    public Element assertion(VihfSubject subject) {
        Document doc = newDocument();
        return assertion(doc, doc, subject);
    }

    /** Builds the assertion under {@code parent} (the ID reference resolves only inside the document), signs it. */
    private Element assertion(Document doc, Node parent, VihfSubject subject) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String id = "_" + UUID.randomUUID();

        Element assertion = doc.createElementNS(Vihf.SAML_NS, "saml2:Assertion");
        assertion.setAttributeNS(Vihf.XMLNS_NS, "xmlns:saml2", Vihf.SAML_NS);
        assertion.setAttributeNS(Vihf.XMLNS_NS, "xmlns:xsi", Vihf.XSI_NS);
        assertion.setAttributeNS(null, "ID", id);
        assertion.setAttributeNS(null, "IssueInstant", now.toString());
        assertion.setAttributeNS(null, "Version", "2.0");
        assertion.setIdAttributeNS(null, "ID", true);

        Element issuerElement = saml(doc, "Issuer", issuer);
        issuerElement.setAttributeNS(null, "Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName");
        assertion.appendChild(issuerElement);

        Element subjectElement = saml(doc, "Subject", null);
        Element nameId = saml(doc, "NameID", subject.nationalId());
        nameId.setAttributeNS(null, "Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
        subjectElement.appendChild(nameId);
        Element confirmation = saml(doc, "SubjectConfirmation", null);
        confirmation.setAttributeNS(null, "Method", "urn:oasis:names:tc:SAML:2.0:cm:sender-vouches");
        subjectElement.appendChild(confirmation);
        assertion.appendChild(subjectElement);

        Element conditions = saml(doc, "Conditions", null);
        conditions.setAttributeNS(null, "NotBefore", now.minus(CLOCK_SKEW).toString());
        conditions.setAttributeNS(null, "NotOnOrAfter", now.plus(profile.validity()).toString());
        assertion.appendChild(conditions);

        Element authn = saml(doc, "AuthnStatement", null);
        authn.setAttributeNS(null, "AuthnInstant", now.toString());
        Element context = saml(doc, "AuthnContext", null);
        context.appendChild(saml(doc, "AuthnContextClassRef", "urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient"));
        authn.appendChild(context);
        assertion.appendChild(authn);

        Element attributes = saml(doc, "AttributeStatement", null);
        attributes.appendChild(attribute(doc, Vihf.SUBJECT_ID, subject.displayName()));
        if (subject.role() != null) {
            Element value = doc.createElementNS(Vihf.HL7_NS, "Role");
            value.setAttributeNS(Vihf.XMLNS_NS, "xmlns", Vihf.HL7_NS);
            value.setAttributeNS(Vihf.XSI_NS, "xsi:type", "CE");
            value.setAttributeNS(null, "code", subject.role().code());
            value.setAttributeNS(null, "codeSystem", subject.role().codeSystem());
            if (subject.role().displayName() != null) {
                value.setAttributeNS(null, "displayName", subject.role().displayName());
            }
            attributes.appendChild(attribute(doc, Vihf.SUBJECT_ROLE, value));
        }
        attributes.appendChild(attribute(doc, Vihf.PURPOSE_OF_USE, "normal"));
        attributes.appendChild(attribute(doc, Vihf.RESOURCE_ID, subject.patientCx()));
        attributes.appendChild(attribute(doc, Vihf.VIHF_VERSION, profile.vihfVersion()));
        attributes.appendChild(attribute(doc, Vihf.AUTHENTICATION_MODE, profile.authenticationMode()));
        attributes.appendChild(attribute(doc, Vihf.RESOURCE_URN, "urn:dmp"));
        attributes.appendChild(attribute(doc, Vihf.SECTEUR_ACTIVITE, profile.secteurActivite()));
        attributes.appendChild(attribute(doc, Vihf.STRUCTURE_ID, profile.structureId()));
        attributes.appendChild(attribute(doc, Vihf.LPS_ID, profile.lpsId()));
        attributes.appendChild(attribute(doc, Vihf.LPS_NAME, profile.lpsName()));
        attributes.appendChild(attribute(doc, Vihf.LPS_VERSION, profile.lpsVersion()));
        attributes.appendChild(attribute(doc, Vihf.LPS_HOMOLOGATION, profile.lpsHomologation()));
        assertion.appendChild(attributes);

        parent.appendChild(assertion);
        sign(assertion, id, subjectElement);
        return assertion;
    }

    private void sign(Element assertion, String id, Element before) {
        try {
            XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM");
            Reference ref = f.newReference("#" + id, f.newDigestMethod(DigestMethod.SHA256, null),
                List.of(f.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                    f.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null)), null, null);
            SignedInfo signedInfo = f.newSignedInfo(
                f.newCanonicalizationMethod(CanonicalizationMethod.EXCLUSIVE, (C14NMethodParameterSpec) null),
                f.newSignatureMethod(SignatureMethod.RSA_SHA256, null), List.of(ref));
            KeyInfoFactory kif = f.getKeyInfoFactory();
            KeyInfo keyInfo = kif.newKeyInfo(List.of(kif.newX509Data(List.of(identity.certificate()))));
            DOMSignContext context = new DOMSignContext(identity.privateKey(), assertion, before);
            context.setDefaultNamespacePrefix("ds");
            f.newXMLSignature(signedInfo, keyInfo).sign(context);
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign the VIHF assertion", e);
        }
    }

    private static Element saml(Document doc, String name, String text) {
        Element e = doc.createElementNS(Vihf.SAML_NS, "saml2:" + name);
        if (text != null) {
            e.setTextContent(text);
        }
        return e;
    }

    private static Element attribute(Document doc, String name, String value) {
        Element v = saml(doc, "AttributeValue", value);
        v.setAttributeNS(Vihf.XSI_NS, "xsi:type", "xs:string");
        v.setAttributeNS(Vihf.XMLNS_NS, "xmlns:xs", Vihf.XS_NS);
        return wrap(doc, name, v);
    }

    private static Element attribute(Document doc, String name, Element value) {
        Element v = saml(doc, "AttributeValue", null);
        v.appendChild(value);
        return wrap(doc, name, v);
    }

    private static Element wrap(Document doc, String name, Element value) {
        Element a = saml(doc, "Attribute", null);
        a.setAttributeNS(null, "Name", name);
        a.appendChild(value);
        return a;
    }

    private static Document newDocument() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            return f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
