package fr.mssante.operator.documents.cda;

import java.nio.charset.StandardCharsets;

import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

import fr.mssante.operator.documents.content.Content;
import fr.mssante.operator.documents.xml.HardenedXml;
import fr.mssante.operator.documents.xml.XmlRejectedException;
import fr.mssante.operator.documents.xml.XmlRejection;

/**
 * Tells whether XML bytes are a CDA: root {@code ClinicalDocument} in {@code urn:hl7-org:v3}, read with
 * {@link HardenedXml} up to the root element only. A document refused for its DOCTYPE still counts as a CDA when its
 * first 64 KiB name {@code ClinicalDocument}, so that a hostile CDA is reported (by {@link CdaParser}) rather than
 * silently ignored.
 */
public final class CdaSniffer {
    private static final int TEXT_WINDOW = 64 * 1024;

    private CdaSniffer() {
    }

    public static boolean isCda(Content xml) {
        boolean[] cda = new boolean[1];
        try {
            HardenedXml.parse(xml.openStream(), true, new DefaultHandler() {
                @Override
                public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
                    cda[0] = "ClinicalDocument".equals(localName) && CdaParser.HL7_V3.equals(uri);
                    throw HardenedXml.Stop.done();
                }
            });
            return cda[0];
        } catch (XmlRejectedException e) {
            if (e.reason() == XmlRejection.DOCTYPE_FORBIDDEN) {
                String head = new String(xml.head(TEXT_WINDOW), StandardCharsets.ISO_8859_1);
                return head.contains("ClinicalDocument");
            }
            return false;
        }
    }
}
