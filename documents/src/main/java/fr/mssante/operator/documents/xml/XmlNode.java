package fr.mssante.operator.documents.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small, read-only element tree built by {@link HardenedXml}: local name, namespace (empty when parsed without
 * namespaces), attributes by local name, children and text. Just what the CDA header and XDM metadata need.
 */
public final class XmlNode {
    private final String name;
    private final String namespace;
    private final Map<String, String> attributes;
    private final List<XmlNode> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    XmlNode(String name, String namespace, Map<String, String> attributes) {
        this.name = name;
        this.namespace = namespace;
        this.attributes = Collections.unmodifiableMap(attributes);
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    public Optional<String> attribute(String localName) {
        return Optional.ofNullable(attributes.get(localName));
    }

    /** The attribute, trimmed, when present and not blank. */
    public Optional<String> nonBlankAttribute(String localName) {
        return attribute(localName).map(String::trim).filter(s -> !s.isEmpty());
    }

    public List<XmlNode> children() {
        return Collections.unmodifiableList(children);
    }

    public List<XmlNode> children(String localName) {
        List<XmlNode> matching = new ArrayList<>();
        for (XmlNode child : children) {
            if (child.name.equals(localName)) {
                matching.add(child);
            }
        }
        return matching;
    }

    public Optional<XmlNode> child(String localName) {
        for (XmlNode child : children) {
            if (child.name.equals(localName)) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    /** The first descendant along {@code path} (local names), e.g. {@code path("patient", "name")}. */
    public Optional<XmlNode> path(String... localNames) {
        Optional<XmlNode> current = Optional.of(this);
        for (String localName : localNames) {
            current = current.flatMap(node -> node.child(localName));
        }
        return current;
    }

    /** Direct text of this element with whitespace runs collapsed to one space, trimmed. */
    public String text() {
        return text.toString().replaceAll("\\s+", " ").trim();
    }

    /** {@link #text()} when not blank. */
    public Optional<String> nonBlankText() {
        String value = text();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    void append(XmlNode child) {
        children.add(child);
    }

    void appendText(char[] chars, int start, int length) {
        text.append(chars, start, length);
    }

    @Override
    public String toString() {
        return "XmlNode[" + name + "]";
    }
}
