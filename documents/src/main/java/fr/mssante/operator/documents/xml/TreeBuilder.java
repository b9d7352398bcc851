package fr.mssante.operator.documents.xml;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Builds an {@link XmlNode} tree within {@link XmlLimits}. A subclass may leave subtrees out of the tree
 * ({@link #retain}) and still see them as events ({@link #skippedStart}, {@link #skippedText}, {@link #skippedEnd}):
 * the CDA parser keeps the header as a tree and streams the body.
 */
public class TreeBuilder extends DefaultHandler {
    private final XmlLimits limits;
    private final Deque<XmlNode> open = new ArrayDeque<>();
    private XmlNode root;
    private int depth;
    private int elements;
    private long textChars;
    /** Depth (1-based) of the element that opened the skipped subtree; 0 when not skipping. */
    private int skippingFrom;

    public TreeBuilder(XmlLimits limits) {
        this.limits = limits;
    }

    public XmlNode root() {
        return root;
    }

    /** Whether to keep this element (and its subtree) in the tree; its parent is {@code parent} (null for the root). */
    protected boolean retain(XmlNode parent, String namespace, String localName, Attributes attributes) {
        return true;
    }

    /** The root element has been read (a subclass may refuse it). */
    protected void onRoot(XmlNode rootNode) throws SAXException {
    }

    /** An element inside a skipped subtree ({@code skippedDepth} 0 = the element that was not retained). */
    protected void skippedStart(int skippedDepth, String namespace, String localName, Attributes attributes) throws SAXException {
    }

    protected void skippedText(int skippedDepth, char[] chars, int start, int length) throws SAXException {
    }

    protected void skippedEnd(int skippedDepth, String namespace, String localName) throws SAXException {
    }

    @Override
    public final void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
        depth++;
        if (depth > limits.maxDepth()) {
            throw HardenedXml.Stop.rejection(XmlRejection.TOO_DEEP, "elements nested deeper than " + limits.maxDepth());
        }
        String namespace = uri == null ? "" : uri;
        String name = localName(localName, qName);
        if (skippingFrom > 0) {
            skippedStart(depth - skippingFrom, namespace, name, attributes);
            return;
        }
        XmlNode parent = open.peek();
        if (parent != null && !retain(parent, namespace, name, attributes)) {
            skippingFrom = depth;
            skippedStart(0, namespace, name, attributes);
            return;
        }
        if (++elements > limits.maxElements()) {
            throw HardenedXml.Stop.rejection(XmlRejection.TOO_LARGE, "more than " + limits.maxElements() + " elements");
        }
        Map<String, String> attributeMap = new LinkedHashMap<>();
        for (int i = 0; i < attributes.getLength(); i++) {
            attributeMap.put(localName(attributes.getLocalName(i), attributes.getQName(i)), attributes.getValue(i));
        }
        XmlNode node = new XmlNode(name, namespace, attributeMap);
        if (parent == null) {
            root = node;
            open.push(node);
            onRoot(node);
            return;
        }
        parent.append(node);
        open.push(node);
    }

    @Override
    public final void characters(char[] chars, int start, int length) throws SAXException {
        if (skippingFrom > 0) {
            skippedText(depth - skippingFrom, chars, start, length);
            return;
        }
        XmlNode current = open.peek();
        if (current == null) {
            return;
        }
        textChars += length;
        if (textChars > limits.maxTextChars()) {
            throw HardenedXml.Stop.rejection(XmlRejection.TOO_LARGE, "more than " + limits.maxTextChars() + " characters of text");
        }
        current.appendText(chars, start, length);
    }

    @Override
    public final void endElement(String uri, String localName, String qName) throws SAXException {
        if (skippingFrom > 0) {
            skippedEnd(depth - skippingFrom, uri == null ? "" : uri, localName(localName, qName));
            if (depth == skippingFrom) {
                skippingFrom = 0;
            }
        } else {
            open.pop();
        }
        depth--;
    }

    /** Without namespace processing SAX gives the qualified name only: drop any prefix. */
    private static String localName(String localName, String qName) {
        if (localName != null && !localName.isEmpty()) {
            return localName;
        }
        int colon = qName.indexOf(':');
        return colon >= 0 ? qName.substring(colon + 1) : qName;
    }
}
