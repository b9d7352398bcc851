package fr.mssante.operator.trust.list;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.dn.DnParseException;

/**
 * Hardened StAX parser of the official liste blanche ({@value #NAMESPACE}): no DTD, no external entity, bounded size.
 * Tolerates the known defect of the published copies (no closing root tag after {@code </ListeDomaines>}) but refuses
 * a document cut anywhere else, in particular inside a {@code Domaine}.
 */
public final class TrustListParser {
    public static final String NAMESPACE = "https://listeblanche.mssante.fr/schema";
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(TrustListParser.class);
    private static final int MAX_TEXT = 4096;

    private final long maxBytes;

    public TrustListParser() {
        this(DEFAULT_MAX_BYTES);
    }

    public TrustListParser(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Parses a whole document; the reason of a refusal is the exception message. */
    public TrustList parse(byte[] document) throws TrustListParseException {
        if (document == null || document.length == 0) {
            throw new TrustListParseException("empty document");
        }
        if (document.length > maxBytes) {
            throw new TrustListParseException("document larger than " + maxBytes + " bytes");
        }
        String sha256 = sha256(document);
        Reading r = new Reading();
        try {
            XMLStreamReader reader = factory().createXMLStreamReader(new ByteArrayInputStream(document));
            try {
                read(reader, r);
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            if (r.depth == 1 && r.listClosed && endsWithListEndTag(document)) {
                LOG.debug("liste blanche without closing root tag (known defect), accepted");
                return r.build(sha256, true);
            }
            throw new TrustListParseException(describeFailure(r, e), e);
        }
        if (!r.rootSeen) {
            throw new TrustListParseException("no root element");
        }
        if (!r.listClosed) {
            throw new TrustListParseException("no ListeDomaines element");
        }
        return r.build(sha256, false);
    }

    private static String describeFailure(Reading r, XMLStreamException e) {
        String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNumber() + ")";
        if (r.depth >= 3) {
            return "truncated or malformed inside entry #" + (r.entries.size() + r.skipped.size() + 1) + where;
        }
        if (r.depth == 2) {
            return "truncated or malformed: ListeDomaines not closed after " + r.entries.size() + " entries" + where;
        }
        return "malformed XML" + where + ": " + firstLine(e.getMessage());
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        String s = m.strip();
        int nl = s.lastIndexOf('\n');
        return nl >= 0 ? s.substring(nl + 1).strip() : s;
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        trySet(f, XMLConstants.ACCESS_EXTERNAL_DTD, "");
        trySet(f, XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return f;
    }

    private static void trySet(XMLInputFactory f, String name, Object value) {
        try {
            f.setProperty(name, value);
        } catch (IllegalArgumentException e) {
            LOG.debug("XML property {} unsupported", name);
        }
    }

    private static void read(XMLStreamReader x, Reading r) throws XMLStreamException, TrustListParseException {
        while (x.hasNext()) {
            int ev = x.next();
            switch (ev) {
                case XMLStreamConstants.DTD -> throw new TrustListParseException("DTD not allowed");
                case XMLStreamConstants.ENTITY_REFERENCE -> throw new TrustListParseException("entity reference not allowed");
                case XMLStreamConstants.START_ELEMENT -> startElement(x, r);
                case XMLStreamConstants.END_ELEMENT -> endElement(x, r);
                default -> {
                    // characters, comments, processing instructions: ignored
                }
            }
        }
    }

    private static void startElement(XMLStreamReader x, Reading r) throws XMLStreamException, TrustListParseException {
        String name = x.getLocalName();
        r.depth++;
        if (r.depth == 1) {
            if (!"ListeBlancheMSSante".equals(name) || !NAMESPACE.equals(x.getNamespaceURI())) {
                throw new TrustListParseException("unexpected root element {"
                        + (x.getNamespaceURI() == null ? "" : x.getNamespaceURI()) + "}" + name);
            }
            r.rootSeen = true;
        } else if (r.depth == 2 && "DateDeGeneration".equals(name)) {
            r.generatedAt = instant(text(x));
            r.depth--;
        } else if (r.depth == 2 && "ListeDomaines".equals(name)) {
            r.inList = true;
        } else if (r.depth == 3 && r.inList && "Domaine".equals(name)) {
            r.current = new String[6];
        } else if (r.depth == 4 && r.current != null) {
            int idx = switch (name) {
                case "Nom" -> 0;
                case "DNCertificatOperateur" -> 1;
                case "Description" -> 2;
                case "ResponsableContact" -> 3;
                case "SupportContact" -> 4;
                case "DateMAJ" -> 5;
                default -> -1;
            };
            String value = text(x);
            if (idx >= 0) {
                r.current[idx] = value;
            }
            r.depth--;
        }
    }

    private static void endElement(XMLStreamReader x, Reading r) {
        String name = x.getLocalName();
        if (r.depth == 3 && r.current != null && "Domaine".equals(name)) {
            r.addEntry();
        } else if (r.depth == 2 && "ListeDomaines".equals(name)) {
            r.inList = false;
            r.listClosed = true;
        }
        r.depth--;
    }

    private static String text(XMLStreamReader x) throws XMLStreamException, TrustListParseException {
        String t = x.getElementText();
        if (t.length() > MAX_TEXT) {
            throw new TrustListParseException("element " + x.getLocalName() + " longer than " + MAX_TEXT + " characters");
        }
        return t.strip();
    }

    private static Instant instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(s.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The last non-blank bytes are {@code </ListeDomaines>} (possibly prefixed): only the root end tag is missing. */
    private static boolean endsWithListEndTag(byte[] doc) {
        int end = doc.length;
        while (end > 0 && (doc[end - 1] == ' ' || doc[end - 1] == '\n' || doc[end - 1] == '\r' || doc[end - 1] == '\t')) {
            end--;
        }
        int start = Math.max(0, end - 64);
        String tail = new String(doc, start, end - start, StandardCharsets.UTF_8);
        return tail.matches("(?s).*</([A-Za-z_][\\w.-]*:)?ListeDomaines\\s*>");
    }

    static String sha256(byte[] doc) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(doc));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Reading {
        int depth;
        boolean rootSeen;
        boolean inList;
        boolean listClosed;
        Instant generatedAt;
        String[] current;
        final List<TrustListEntry> entries = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        /** 6,554 entries share 392 DNs: parse each distinct string once (and share the instance). */
        final Map<String, DistinguishedName> dnCache = new HashMap<>();

        void addEntry() {
            String[] c = current;
            current = null;
            int number = entries.size() + skipped.size() + 1;
            if (c[0] == null || c[0].isEmpty()) {
                skipped.add("entry #" + number + ": no Nom");
                return;
            }
            if (c[1] == null || c[1].isEmpty()) {
                skipped.add("entry #" + number + " (" + c[0] + "): no DNCertificatOperateur");
                return;
            }
            DistinguishedName dn;
            try {
                dn = dnCache.get(c[1]);
                if (dn == null) {
                    dn = DistinguishedName.parse(c[1]);
                    dnCache.put(c[1], dn);
                }
            } catch (DnParseException e) {
                skipped.add("entry #" + number + " (" + c[0] + "): unparseable DN: " + e.getMessage());
                return;
            }
            if (dn.isEmpty()) {
                skipped.add("entry #" + number + " (" + c[0] + "): empty DN");
                return;
            }
            entries.add(new TrustListEntry(c[0], dn, nz(c[2]), nz(c[3]), nz(c[4]), instant(c[5])));
        }

        TrustList build(String sha256, boolean missingRootEndTag) {
            if (!skipped.isEmpty()) {
                LOG.warn("liste blanche: {} entries skipped", skipped.size());
            }
            return TrustList.of(entries, generatedAt, sha256, missingRootEndTag, skipped);
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }
}
