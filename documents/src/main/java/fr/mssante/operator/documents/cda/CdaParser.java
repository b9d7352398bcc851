package fr.mssante.operator.documents.cda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;

import fr.mssante.operator.documents.content.Content;
import fr.mssante.operator.documents.ins.InsOid;
import fr.mssante.operator.documents.xml.HardenedXml;
import fr.mssante.operator.documents.xml.TreeBuilder;
import fr.mssante.operator.documents.xml.XmlLimits;
import fr.mssante.operator.documents.xml.XmlNode;
import fr.mssante.operator.documents.xml.XmlRejectedException;
import fr.mssante.operator.documents.xml.XmlRejection;

/**
 * Parses a CDA R2 document (CI-SIS) with {@link HardenedXml} (no DOCTYPE, hence no XXE or entity expansion), in one
 * streaming pass: the header (everything but {@code component}) is kept as a small tree and read afterwards; the body
 * is streamed and only PDF media are captured (N1 {@code nonXMLBody/text}, N3 {@code observationMedia/value}, with
 * {@code mediaType="application/pdf"}), then base64-decoded strictly after removing whitespace.
 */
public final class CdaParser {
    public static final String HL7_V3 = "urn:hl7-org:v3";
    private static final Logger LOG = LoggerFactory.getLogger(CdaParser.class);
    private static final byte[] PDF_MAGIC = {'%', 'P', 'D', 'F', '-'};

    private final CdaLimits limits;

    public CdaParser(CdaLimits limits) {
        this.limits = limits;
    }

    public CdaParser() {
        this(CdaLimits.DEFAULT);
    }

    public CdaDocument parse(Content xml) throws CdaRejectedException {
        Handler handler = new Handler(limits);
        try {
            HardenedXml.parse(xml.openStream(), true, handler);
        } catch (XmlRejectedException e) {
            throw new CdaRejectedException(map(e.reason()), e.getMessage());
        }
        if (handler.root() == null) {
            throw new CdaRejectedException(CdaRejection.MALFORMED_XML, "no root element");
        }
        try {
            CdaDocument document = header(handler.root(), handler);
            LOG.debug("CDA parsed: body {}, {} PDF(s), {} issue(s)", document.body(), document.pdfs().size(), document.issues().size());
            return document;
        } catch (RuntimeException e) {
            throw new CdaRejectedException(CdaRejection.MALFORMED_XML, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static CdaRejection map(XmlRejection reason) {
        return switch (reason) {
            case DOCTYPE_FORBIDDEN -> CdaRejection.DOCTYPE_FORBIDDEN;
            case UNEXPECTED_ROOT -> CdaRejection.NOT_CDA;
            case TOO_DEEP -> CdaRejection.TOO_DEEP;
            case TOO_LARGE -> CdaRejection.TOO_LARGE;
            case UNREADABLE -> CdaRejection.UNREADABLE;
            default -> CdaRejection.MALFORMED_XML;
        };
    }

    private static CdaDocument header(XmlNode root, Handler handler) {
        List<CdaIssue> issues = new ArrayList<>(handler.issues);
        Optional<InstanceId> id = v3(root, "id").flatMap(CdaParser::instanceId);
        if (id.isEmpty()) {
            issues.add(new CdaIssue(CdaIssue.Code.NO_DOCUMENT_ID, "the header has no id"));
        }
        Optional<CodedValue> code = v3(root, "code").flatMap(CdaParser::coded);
        if (code.isEmpty()) {
            issues.add(new CdaIssue(CdaIssue.Code.NO_TYPE_CODE, "the header has no code"));
        }
        List<InstanceId> templateIds = v3s(root, "templateId").stream().map(CdaParser::instanceId)
            .flatMap(Optional::stream).toList();
        Optional<CdaPatient> patient = v3(root, "recordTarget").flatMap(r -> v3(r, "patientRole")).map(role -> patient(role, issues));
        List<CdaAuthor> authors = v3s(root, "author").stream().map(CdaParser::author).toList();
        Optional<CdaOrganisation> custodian = v3(root, "custodian").flatMap(c -> v3(c, "assignedCustodian"))
            .flatMap(a -> v3(a, "representedCustodianOrganization")).map(CdaParser::organisation);
        BodyKind body = handler.body;
        boolean pdf = handler.pdfs.stream().anyMatch(EmbeddedPdf::pdfHeader);
        return new CdaDocument(
            id,
            v3(root, "setId").flatMap(CdaParser::instanceId),
            v3(root, "versionNumber").flatMap(n -> n.nonBlankAttribute("value")),
            code,
            v3(root, "title").flatMap(XmlNode::nonBlankText),
            v3(root, "effectiveTime").flatMap(n -> n.nonBlankAttribute("value")),
            v3(root, "confidentialityCode").flatMap(CdaParser::coded),
            v3(root, "languageCode").flatMap(n -> n.nonBlankAttribute("code")),
            templateIds,
            patient,
            authors,
            custodian,
            body,
            handler.pdfs,
            FormatCodes.fromTemplates(templateIds, body, pdf),
            issues,
            v3s(root, "relatedDocument").stream().filter(r -> r.attribute("typeCode").map("RPLC"::equals).orElse(false))
                .map(r -> v3(r, "parentDocument").flatMap(parent -> v3(parent, "id")).flatMap(CdaParser::instanceId))
                .flatMap(Optional::stream).findFirst());
    }

    private static CdaPatient patient(XmlNode role, List<CdaIssue> issues) {
        List<InstanceId> ids = v3s(role, "id").stream().map(CdaParser::instanceId).flatMap(Optional::stream).toList();
        List<InstanceId> insIds = ids.stream().filter(i -> InsOid.of(i.root()).isPresent()).toList();
        if (insIds.size() > 1) {
            issues.add(new CdaIssue(CdaIssue.Code.SEVERAL_INS, insIds.size() + " patient ids carry an INS OID; the first is used"));
        }
        Optional<XmlNode> person = v3(role, "patient");
        List<XmlNode> families = new ArrayList<>();
        List<XmlNode> givens = new ArrayList<>();
        person.ifPresent(p -> v3s(p, "name").forEach(name -> {
            families.addAll(v3s(name, "family"));
            givens.addAll(v3s(name, "given"));
        }));
        Optional<String> birthFamily = qualified(families, "BR").or(() -> unqualified(families).stream().findFirst());
        List<String> birthGivenList = unqualified(givens);
        Optional<String> birthGivens = birthGivenList.isEmpty() ? Optional.empty() : Optional.of(String.join(" ", birthGivenList));
        Optional<String> firstGiven = qualified(givens, "BR")
            .or(() -> birthGivens.map(g -> g.split(" ")[0]));
        return new CdaPatient(
            ids,
            insIds.isEmpty() ? Optional.empty() : Optional.of(insIds.get(0)),
            birthFamily,
            birthGivens,
            firstGiven,
            qualified(families, "CL"),
            qualified(givens, "CL"),
            person.flatMap(p -> v3(p, "birthTime")).flatMap(n -> n.nonBlankAttribute("value")),
            person.flatMap(p -> v3(p, "administrativeGenderCode")).flatMap(n -> n.nonBlankAttribute("code")),
            person.flatMap(p -> v3(p, "birthplace")).flatMap(b -> v3(b, "place")).flatMap(pl -> v3(pl, "addr"))
                .flatMap(a -> v3(a, "county")).flatMap(XmlNode::nonBlankText));
    }

    private static CdaAuthor author(XmlNode author) {
        Optional<XmlNode> assigned = v3(author, "assignedAuthor");
        Optional<XmlNode> name = assigned.flatMap(a -> v3(a, "assignedPerson")).flatMap(p -> v3(p, "name"));
        return new CdaAuthor(
            v3(author, "time").flatMap(n -> n.nonBlankAttribute("value")),
            assigned.map(a -> v3s(a, "id").stream().map(CdaParser::instanceId).flatMap(Optional::stream).toList()).orElse(List.of()),
            assigned.flatMap(a -> v3(a, "code")).flatMap(CdaParser::coded),
            name.flatMap(n -> v3(n, "prefix")).flatMap(XmlNode::nonBlankText),
            name.flatMap(n -> v3(n, "given")).flatMap(XmlNode::nonBlankText),
            name.flatMap(n -> v3(n, "family")).flatMap(XmlNode::nonBlankText),
            assigned.flatMap(a -> v3(a, "representedOrganization")).map(CdaParser::organisation));
    }

    private static CdaOrganisation organisation(XmlNode organisation) {
        return new CdaOrganisation(v3s(organisation, "id").stream().map(CdaParser::instanceId).flatMap(Optional::stream).toList(),
            v3(organisation, "name").flatMap(XmlNode::nonBlankText));
    }

    private static Optional<String> qualified(List<XmlNode> parts, String qualifier) {
        return parts.stream()
            .filter(p -> p.attribute("qualifier").map(q -> Arrays.asList(q.trim().split("\\s+")).contains(qualifier)).orElse(false))
            .map(XmlNode::nonBlankText).flatMap(Optional::stream).findFirst();
    }

    private static List<String> unqualified(List<XmlNode> parts) {
        return parts.stream().filter(p -> p.nonBlankAttribute("qualifier").isEmpty())
            .map(XmlNode::nonBlankText).flatMap(Optional::stream).collect(Collectors.toList());
    }

    private static Optional<InstanceId> instanceId(XmlNode node) {
        return node.nonBlankAttribute("root").map(root -> new InstanceId(root, node.nonBlankAttribute("extension")));
    }

    private static Optional<CodedValue> coded(XmlNode node) {
        return node.nonBlankAttribute("code").map(code -> new CodedValue(code, node.nonBlankAttribute("codeSystem").orElse(""),
            node.nonBlankAttribute("displayName")));
    }

    private static Optional<XmlNode> v3(XmlNode parent, String name) {
        return parent.children(name).stream().filter(n -> HL7_V3.equals(n.namespace())).findFirst();
    }

    private static List<XmlNode> v3s(XmlNode parent, String name) {
        return parent.children(name).stream().filter(n -> HL7_V3.equals(n.namespace())).toList();
    }

    /** Keeps the header as a tree, streams {@code component} and captures PDF media in it. */
    private static final class Handler extends TreeBuilder {
        private final CdaLimits limits;
        private final List<EmbeddedPdf> pdfs = new ArrayList<>();
        private final List<CdaIssue> issues = new ArrayList<>();
        private final List<String> path = new ArrayList<>();
        private BodyKind body = BodyKind.NONE;
        private boolean inBody;
        private String mediaId;
        private int captureDepth = -1;
        private EmbeddedPdf.Location captureLocation;
        private StringBuilder capture;
        private long pdfChars;

        Handler(CdaLimits limits) {
            super(new XmlLimits(limits.maxDepth(), limits.maxHeaderElements(), limits.maxHeaderChars()));
            this.limits = limits;
        }

        @Override
        protected void onRoot(XmlNode root) throws SAXException {
            if (!"ClinicalDocument".equals(root.name()) || !HL7_V3.equals(root.namespace())) {
                throw HardenedXml.Stop.rejection(XmlRejection.UNEXPECTED_ROOT, "root is '" + root.name() + "' in namespace '"
                    + root.namespace() + "', not ClinicalDocument in " + HL7_V3);
            }
        }

        @Override
        protected boolean retain(XmlNode parent, String namespace, String localName, Attributes attributes) {
            // the body (ClinicalDocument/component) and foreign-namespace elements are streamed, not kept
            boolean body = parent == root() && HL7_V3.equals(namespace) && "component".equals(localName);
            return !body && HL7_V3.equals(namespace);
        }

        @Override
        protected void skippedStart(int depth, String namespace, String localName, Attributes attributes) throws SAXException {
            if (depth == 0) {
                inBody = HL7_V3.equals(namespace) && "component".equals(localName);
                path.clear();
            }
            while (path.size() > depth) {
                path.remove(path.size() - 1);
            }
            path.add(HL7_V3.equals(namespace) ? localName : "");
            if (!inBody || !HL7_V3.equals(namespace)) {
                return;
            }
            String parent = depth > 0 ? path.get(depth - 1) : "";
            if (depth == 1 && "nonXMLBody".equals(localName)) {
                body = BodyKind.NON_XML;
            } else if (depth == 1 && "structuredBody".equals(localName)) {
                body = BodyKind.STRUCTURED;
            }
            if ("observationMedia".equals(localName)) {
                mediaId = attributes.getValue("ID");
            }
            boolean n1 = "text".equals(localName) && "nonXMLBody".equals(parent);
            boolean n3 = "value".equals(localName) && "observationMedia".equals(parent);
            if ((n1 || n3) && captureDepth < 0 && isPdf(attributes.getValue("mediaType"))) {
                captureDepth = depth;
                captureLocation = n1 ? EmbeddedPdf.Location.NON_XML_BODY : EmbeddedPdf.Location.OBSERVATION_MEDIA;
                capture = new StringBuilder();
            }
        }

        @Override
        protected void skippedText(int depth, char[] chars, int start, int length) throws SAXException {
            if (capture != null && depth == captureDepth) {
                pdfChars += length;
                if (pdfChars > limits.maxPdfChars()) {
                    throw HardenedXml.Stop.rejection(XmlRejection.TOO_LARGE, "embedded PDFs exceed " + limits.maxPdfChars() + " characters");
                }
                capture.append(chars, start, length);
            }
        }

        @Override
        protected void skippedEnd(int depth, String namespace, String localName) {
            if (capture != null && depth == captureDepth) {
                finishCapture();
            }
            if ("observationMedia".equals(localName) && HL7_V3.equals(namespace)) {
                mediaId = null;
            }
            if (depth == 0) {
                inBody = false;
            }
        }

        private void finishCapture() {
            String where = captureLocation == EmbeddedPdf.Location.NON_XML_BODY ? "nonXMLBody/text" : "observationMedia/value";
            StringBuilder text = capture;
            capture = null;
            captureDepth = -1;
            byte[] ascii = new byte[text.length()];
            int n = 0;
            boolean nonAscii = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    continue;
                }
                if (c > 0x7f) {
                    nonAscii = true;
                    break;
                }
                ascii[n++] = (byte) c;
            }
            if (n == 0 && !nonAscii) {
                issues.add(new CdaIssue(CdaIssue.Code.PDF_NOT_INLINE, where + " with mediaType application/pdf has no inline data"));
                return;
            }
            byte[] decoded;
            try {
                if (nonAscii) {
                    throw new IllegalArgumentException("non-ASCII character");
                }
                decoded = Base64.getDecoder().decode(Arrays.copyOf(ascii, n));
            } catch (IllegalArgumentException e) {
                issues.add(new CdaIssue(CdaIssue.Code.PDF_BASE64_INVALID, where + " is not valid base64"));
                return;
            }
            Content content = Content.owning(decoded);
            boolean header = content.startsWith(PDF_MAGIC);
            if (!header) {
                issues.add(new CdaIssue(CdaIssue.Code.PDF_NOT_PDF, where + " does not decode to a PDF"));
            }
            pdfs.add(new EmbeddedPdf(captureLocation, Optional.ofNullable(mediaId), content, header));
        }

        private static boolean isPdf(String mediaType) {
            return mediaType != null && mediaType.trim().equalsIgnoreCase("application/pdf");
        }
    }
}
