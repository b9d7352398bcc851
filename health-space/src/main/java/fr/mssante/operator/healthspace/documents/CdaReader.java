package fr.mssante.operator.healthspace.documents;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads an HL7 CDA R2 document ({@code ClinicalDocument}, namespace {@code urn:hl7-org:v3}) into a
 * {@link CdaDocument}: header (title, patient, author, date) and the narrative of each section (paragraphs, lists,
 * tables, as text). The parser refuses DTDs and external entities (XXE); anything that is not CDA is empty.
 */
public final class CdaReader {
    static final String HL7 = "urn:hl7-org:v3";
    /** Narrative elements that make a block of their own; the others ({@code content}, {@code sub}…) are inline. */
    private static final Set<String> BLOCKS = Set.of("paragraph", "list", "table");

    private CdaReader() {
    }

    /** Larger documents are offered for download only (a DOM of this size stays well within the JVM's heap). */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    public static Optional<CdaDocument> read(byte[] xml) {
        if (xml.length > MAX_BYTES) {
            return Optional.empty();
        }
        Document document;
        try {
            document = builder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            return Optional.empty();
        }
        Element root = document.getDocumentElement();
        if (root == null || !"ClinicalDocument".equals(root.getLocalName()) || !HL7.equals(root.getNamespaceURI())) {
            return Optional.empty();
        }
        Element patient = path(root, "recordTarget", "patientRole", "patient");
        Element patientName = child(patient, "name");
        Element author = path(root, "author", "assignedAuthor");
        Element authorName = path(author, "assignedPerson", "name");
        Element organization = path(author, "representedOrganization", "name");
        List<CdaDocument.Section> sections = new ArrayList<>();
        Element body = path(root, "component", "structuredBody");
        if (body != null) {
            for (Element component : children(body, "component")) {
                Element section = child(component, "section");
                if (section != null) {
                    sections.add(section(section));
                }
            }
        }
        return Optional.of(new CdaDocument(text(child(root, "title")), name(patientName),
            date(attribute(child(patient, "birthTime"), "value")), name(authorName), text(organization),
            date(attribute(child(root, "effectiveTime"), "value")), sections));
    }

    private static CdaDocument.Section section(Element section) {
        List<CdaDocument.Block> blocks = new ArrayList<>();
        Element narrative = child(section, "text");
        if (narrative != null) {
            List<String> loose = new ArrayList<>();
            for (Node node = narrative.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && BLOCKS.contains(element.getLocalName())) {
                    flush(loose, blocks);
                    block(element, blocks);
                } else if (node instanceof Element element && "br".equals(element.getLocalName())) {
                    flush(loose, blocks);
                } else if (node instanceof Element element) {
                    loose.add(element.getTextContent());
                } else if (node.getNodeType() == Node.TEXT_NODE || node.getNodeType() == Node.CDATA_SECTION_NODE) {
                    loose.add(node.getTextContent());
                }
            }
            flush(loose, blocks);
        }
        for (Element component : children(section, "component")) {
            Element nested = child(component, "section");
            if (nested != null) {
                CdaDocument.Section sub = section(nested);
                if (!sub.title().isEmpty()) {
                    blocks.add(new CdaDocument.Block(CdaDocument.Block.Kind.PARAGRAPH, List.of(sub.title()), List.of()));
                }
                blocks.addAll(sub.blocks());
            }
        }
        return new CdaDocument.Section(text(child(section, "title")), blocks);
    }

    private static void block(Element element, List<CdaDocument.Block> blocks) {
        switch (element.getLocalName()) {
            case "list" -> {
                List<String> items = new ArrayList<>();
                for (Element item : children(element, "item")) {
                    items.add(clean(item.getTextContent()));
                }
                blocks.add(new CdaDocument.Block(CdaDocument.Block.Kind.LIST, items, List.of()));
            }
            case "table" -> {
                List<List<String>> rows = new ArrayList<>();
                NodeList trs = element.getElementsByTagNameNS(HL7, "tr");
                for (int i = 0; i < trs.getLength(); i++) {
                    List<String> cells = new ArrayList<>();
                    for (Node cell = trs.item(i).getFirstChild(); cell != null; cell = cell.getNextSibling()) {
                        if (cell instanceof Element td && ("td".equals(td.getLocalName()) || "th".equals(td.getLocalName()))) {
                            cells.add(clean(td.getTextContent()));
                        }
                    }
                    rows.add(cells);
                }
                blocks.add(new CdaDocument.Block(CdaDocument.Block.Kind.TABLE, List.of(), rows));
            }
            default -> {
                String text = clean(element.getTextContent());
                if (!text.isEmpty()) {
                    blocks.add(new CdaDocument.Block(CdaDocument.Block.Kind.PARAGRAPH, List.of(text), List.of()));
                }
            }
        }
    }

    private static void flush(List<String> loose, List<CdaDocument.Block> blocks) {
        String text = clean(String.join(" ", loose));
        if (!text.isEmpty()) {
            blocks.add(new CdaDocument.Block(CdaDocument.Block.Kind.PARAGRAPH, List.of(text), List.of()));
        }
        loose.clear();
    }

    private static String name(Element name) {
        if (name == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String part : List.of("prefix", "given", "family")) {
            for (Element element : children(name, part)) {
                parts.add(clean(element.getTextContent()));
            }
        }
        return parts.isEmpty() ? clean(name.getTextContent()) : String.join(" ", parts).trim();
    }

    /** {@code 20261207093000+0100} → {@code 07/12/2026}. */
    private static String date(String value) {
        if (value == null || value.length() < 8 || !value.substring(0, 8).chars().allMatch(Character::isDigit)) {
            return value == null ? "" : value;
        }
        return value.substring(6, 8) + "/" + value.substring(4, 6) + "/" + value.substring(0, 4);
    }

    private static String attribute(Element element, String name) {
        return element == null || !element.hasAttribute(name) ? null : element.getAttribute(name);
    }

    private static String text(Element element) {
        return element == null ? "" : clean(element.getTextContent());
    }

    private static String clean(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    private static Element path(Element from, String... names) {
        Element current = from;
        for (String name : names) {
            current = child(current, name);
        }
        return current;
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        if (parent == null) {
            return found;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName()) && HL7.equals(element.getNamespaceURI())) {
                found.add(element);
            }
        }
        return found;
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler() {
                @Override
                public void warning(SAXParseException e) {
                    // not CDA-relevant
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
