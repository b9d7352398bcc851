package fr.mssante.operator.dmp.standin.vihf;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.x500.X500Principal;
import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.X509Data;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks a VIHF (SAML 2.0 assertion in {@code wsse:Security}) as the DMP would: an enveloped XML signature over the
 * whole assertion (reference = the assertion's ID, no other), valid; the signing certificate chains to a trusted CA
 * and is within its dates; the assertion's Conditions hold now (one minute of clock skew); the CI-SIS attributes are
 * present. Revocation is not checked (stand-in). Thread-safe.
 */
public final class VihfVerifier {
    public static final String SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    public static final String DSIG_NS = XMLSignature.XMLNS;
    public static final String RESOURCE_ID = "urn:oasis:names:tc:xacml:2.0:resource:resource-id";
    /** Attributes a DMP request must carry (CI-SIS VIHF). */
    public static final List<String> REQUIRED_ATTRIBUTES = List.of("VIHF_Version", "Authentification_Mode",
        "Ressource_URN", RESOURCE_ID, "urn:oasis:names:tc:xspa:1.0:subject:subject-id", "Identifiant_Structure",
        "Secteur_Activite", "LPS_ID", "LPS_Nom", "LPS_Version");
    private static final Duration SKEW = Duration.ofMinutes(1);

    private final Set<TrustAnchor> anchors;
    private final Clock clock;

    public VihfVerifier(List<X509Certificate> trustedCas, Clock clock) {
        if (trustedCas.isEmpty()) {
            throw new IllegalArgumentException("no trusted CA for VIHF signatures");
        }
        this.anchors = trustedCas.stream().map(c -> new TrustAnchor(c, null)).collect(Collectors.toUnmodifiableSet());
        this.clock = clock;
    }

    /** Verifies the assertion inside a {@code wsse:Security} element (or the assertion itself). */
    public VerifiedVihf verify(Element securityOrAssertion) throws VihfException {
        Element assertion = SAML_NS.equals(securityOrAssertion.getNamespaceURI())
            && "Assertion".equals(securityOrAssertion.getLocalName())
            ? securityOrAssertion : child(securityOrAssertion, SAML_NS, "Assertion");
        if (assertion == null) {
            throw new VihfException("no SAML 2.0 assertion in wsse:Security");
        }
        String id = assertion.getAttributeNS(null, "ID");
        if (id.isEmpty()) {
            throw new VihfException("the assertion has no ID");
        }
        assertion.setIdAttributeNS(null, "ID", true);
        X509Certificate signer = checkSignature(assertion, id);
        checkChain(signer);
        checkConditions(assertion);

        String issuer = text(child(assertion, SAML_NS, "Issuer"));
        if (issuer == null || !new X500Principal(issuer).equals(signer.getSubjectX500Principal())) {
            throw new VihfException("the Issuer is not the signing certificate's subject");
        }
        Element subject = child(assertion, SAML_NS, "Subject");
        String nameId = subject == null ? null : text(child(subject, SAML_NS, "NameID"));
        if (nameId == null || nameId.isBlank()) {
            throw new VihfException("no Subject/NameID (national id of the professional)");
        }
        Map<String, String> attributes = attributes(assertion);
        for (String required : REQUIRED_ATTRIBUTES) {
            if (attributes.getOrDefault(required, "").isBlank()) {
                throw new VihfException("missing VIHF attribute " + required);
            }
        }
        return new VerifiedVihf(nameId, issuer, attributes.get(RESOURCE_ID), attributes, signer);
    }

    private X509Certificate checkSignature(Element assertion, String id) throws VihfException {
        Element signature = child(assertion, DSIG_NS, "Signature");
        if (signature == null) {
            throw new VihfException("the assertion is not signed");
        }
        try {
            CertificateKeySelector selector = new CertificateKeySelector();
            DOMValidateContext context = new DOMValidateContext(selector, signature);
            context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
            XMLSignatureFactory f = XMLSignatureFactory.getInstance("DOM");
            XMLSignature xml = f.unmarshalXMLSignature(context);
            List<?> references = xml.getSignedInfo().getReferences();
            if (references.size() != 1 || !("#" + id).equals(((Reference) references.get(0)).getURI())) {
                throw new VihfException("the signature does not cover exactly the assertion");
            }
            for (Object t : ((Reference) references.get(0)).getTransforms()) {
                String alg = ((Transform) t).getAlgorithm();
                if (!Transform.ENVELOPED.equals(alg) && !CanonicalizationMethod.EXCLUSIVE.equals(alg)
                    && !CanonicalizationMethod.EXCLUSIVE_WITH_COMMENTS.equals(alg)) {
                    throw new VihfException("unexpected signature transform " + alg);
                }
            }
            if (!xml.validate(context)) {
                throw new VihfException("invalid VIHF signature");
            }
            return selector.certificate;
        } catch (VihfException e) {
            throw e;
        } catch (Exception e) {
            throw new VihfException("unverifiable VIHF signature: " + e.getMessage(), e);
        }
    }

    private void checkChain(X509Certificate signer) throws VihfException {
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(signer)), params);
        } catch (GeneralSecurityException e) {
            throw new VihfException("VIHF signed by an untrusted or expired certificate ("
                + signer.getSubjectX500Principal().getName() + "): " + e.getMessage(), e);
        }
    }

    private void checkConditions(Element assertion) throws VihfException {
        Element conditions = child(assertion, SAML_NS, "Conditions");
        if (conditions == null) {
            throw new VihfException("the assertion has no Conditions (validity period)");
        }
        Instant now = clock.instant();
        try {
            String notBefore = conditions.getAttributeNS(null, "NotBefore");
            String notOnOrAfter = conditions.getAttributeNS(null, "NotOnOrAfter");
            if (notOnOrAfter.isEmpty()) {
                throw new VihfException("the assertion has no NotOnOrAfter");
            }
            if (!notBefore.isEmpty() && now.plus(SKEW).isBefore(Instant.parse(notBefore))) {
                throw new VihfException("the assertion is not valid yet (NotBefore " + notBefore + ")");
            }
            if (!now.minus(SKEW).isBefore(Instant.parse(notOnOrAfter))) {
                throw new VihfException("the assertion has expired (NotOnOrAfter " + notOnOrAfter + ")");
            }
        } catch (DateTimeParseException e) {
            throw new VihfException("unreadable assertion validity: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> attributes(Element assertion) {
        Map<String, String> out = new HashMap<>();
        Element statement = child(assertion, SAML_NS, "AttributeStatement");
        if (statement == null) {
            return out;
        }
        for (Element attribute : children(statement, SAML_NS, "Attribute")) {
            Element value = child(attribute, SAML_NS, "AttributeValue");
            if (value == null) {
                continue;
            }
            Element nested = firstElement(value);
            String v = nested != null ? nested.getAttribute("code") : text(value);
            out.putIfAbsent(attribute.getAttributeNS(null, "Name"), v == null ? "" : v.trim());
        }
        return out;
    }

    private static Element child(Element parent, String ns, String local) {
        List<Element> all = children(parent, ns, local);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> children(Element parent, String ns, String local) {
        ArrayList<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && local.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element firstElement(Element parent) {
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? null : e.getTextContent().trim();
    }

    /** Takes the key from the X509Data certificate, and remembers that certificate for the chain check. */
    private static final class CertificateKeySelector extends KeySelector {
        private X509Certificate certificate;

        @Override
        public KeySelectorResult select(KeyInfo keyInfo, Purpose purpose, AlgorithmMethod method,
                                        XMLCryptoContext context) throws KeySelectorException {
            if (keyInfo == null) {
                throw new KeySelectorException("no KeyInfo");
            }
            for (Object item : keyInfo.getContent()) {
                if (item instanceof X509Data data) {
                    for (Object o : data.getContent()) {
                        if (o instanceof X509Certificate cert) {
                            certificate = cert;
                            return cert::getPublicKey;
                        }
                    }
                }
            }
            throw new KeySelectorException("no X509Certificate in KeyInfo");
        }
    }
}
