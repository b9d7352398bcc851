package fr.mssante.operator.documents.xml;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.Locale;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

import org.xml.sax.ContentHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * The only way this module reads XML: the JDK's built-in SAX parser ({@link SAXParserFactory#newDefaultInstance()},
 * whatever else is on the classpath) with
 * <ul>
 *   <li>{@code http://apache.org/xml/features/disallow-doctype-decl}: any DOCTYPE is a fatal error, so no DTD, no
 *       entity declaration (XXE, billion laughs) and no external DTD is ever processed;</li>
 *   <li>external general/parameter entities off, external DTD loading off, {@code ACCESS_EXTERNAL_DTD} and
 *       {@code ACCESS_EXTERNAL_SCHEMA} empty, an entity resolver that resolves nothing;</li>
 *   <li>{@link XMLConstants#FEATURE_SECURE_PROCESSING} on (JDK entity/size limits), XInclude off, no validation;</li>
 *   <li>messages in English (the {@code locale} property) so refusals are classified the same way everywhere.</li>
 * </ul>
 * Refusals come out as {@link XmlRejectedException} with an {@link XmlRejection}; nothing else escapes.
 */
public final class HardenedXml {
    private static final String DISALLOW_DOCTYPE = "http://apache.org/xml/features/disallow-doctype-decl";

    private HardenedXml() {
    }

    /** A configured reader; {@code namespaceAware=false} accepts undeclared prefixes (XDM metadata fragments). */
    public static XMLReader newReader(boolean namespaceAware) {
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setNamespaceAware(namespaceAware);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature(DISALLOW_DOCTYPE, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            XMLReader reader = factory.newSAXParser().getXMLReader();
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            optionalProperty(reader, "http://apache.org/xml/properties/locale", Locale.ENGLISH);
            reader.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            reader.setErrorHandler(null);
            return reader;
        } catch (ParserConfigurationException | SAXException e) {
            // the JDK built-in parser supports every feature above: this is a broken JDK, not bad input
            throw new IllegalStateException("the JDK XML parser cannot be hardened", e);
        }
    }

    /**
     * Parses {@code in} with {@code handler}. A handler stops the parse with {@link Stop}: a rejection
     * ({@link Stop#rejection}) becomes an {@link XmlRejectedException}, a plain {@link Stop#done()} returns normally.
     */
    public static void parse(InputStream in, boolean namespaceAware, ContentHandler handler) throws XmlRejectedException {
        XMLReader reader = newReader(namespaceAware);
        reader.setContentHandler(handler);
        try {
            reader.parse(new InputSource(in));
        } catch (Stop stop) {
            if (stop.reason != null) {
                throw new XmlRejectedException(stop.reason, stop.getMessage());
            }
        } catch (SAXParseException e) {
            throw classify(e);
        } catch (SAXException e) {
            throw new XmlRejectedException(XmlRejection.MALFORMED, String.valueOf(e.getMessage()));
        } catch (IOException e) {
            throw new XmlRejectedException(XmlRejection.UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // the JDK parser signals some encoding and limit errors as runtime exceptions
            throw new XmlRejectedException(XmlRejection.MALFORMED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Parses {@code in} into a {@link XmlNode} tree within {@code limits}. */
    public static XmlNode parseTree(InputStream in, boolean namespaceAware, XmlLimits limits) throws XmlRejectedException {
        TreeBuilder builder = new TreeBuilder(limits);
        parse(in, namespaceAware, builder);
        if (builder.root() == null) {
            throw new XmlRejectedException(XmlRejection.MALFORMED, "no root element");
        }
        return builder.root();
    }

    private static XmlRejectedException classify(SAXParseException e) {
        String message = String.valueOf(e.getMessage());
        String where = " (line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ")";
        if (message.contains(DISALLOW_DOCTYPE) || message.contains("DOCTYPE")) {
            return new XmlRejectedException(XmlRejection.DOCTYPE_FORBIDDEN,
                "DOCTYPE declarations are refused (no DTD, no entities)" + where);
        }
        if (message.contains("JAXP0")) {
            // the JDK's secure-processing limits (JAXP00010001…): entity expansion, element depth, attribute count
            return new XmlRejectedException(XmlRejection.TOO_LARGE, message + where);
        }
        return new XmlRejectedException(XmlRejection.MALFORMED, message + where);
    }

    private static void optionalProperty(XMLReader reader, String name, Object value) {
        try {
            reader.setProperty(name, value);
        } catch (SAXNotRecognizedException | SAXNotSupportedException e) {
            // cosmetic only: messages stay in the default locale
        }
    }

    /** Thrown by a handler to end the parse early, as a refusal or (reason {@code null}) because it has enough. */
    public static final class Stop extends SAXException {
        private static final long serialVersionUID = 1L;

        private final transient XmlRejection reason;

        private Stop(XmlRejection reason, String detail) {
            super(detail);
            this.reason = reason;
        }

        public static Stop rejection(XmlRejection reason, String detail) {
            return new Stop(reason, detail);
        }

        public static Stop done() {
            return new Stop(null, "done");
        }
    }
}
