package fr.mssante.operator.documents.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.activation.DataHandler;
import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.mail.util.ByteArrayDataSource;

/**
 * Synthetic health documents for tests (no real patient: the ANS test INS {@code 279035121518989} and its test OID):
 * CDA R2 (N1 with a PDF, N3 with an observationMedia PDF, or header only), XDM packages (METADATA.XML in ebRS 3.0,
 * namespaced or as a prefix-undeclared fragment like the ANS DRIM-M sample), zips, MIME messages. Published in the
 * test-jar.
 */
public final class TestDocuments {
    public static final Session SESSION = Session.getInstance(new Properties());
    public static final String TEST_INS = "279035121518989";
    public static final String TEST_OID = "1.2.250.1.213.1.4.10";

    private TestDocuments() {
    }

    /** A small, valid-looking PDF whose text is {@code marker}. */
    public static byte[] pdf(String marker) {
        String body = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            + "% " + marker + "\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        return body.getBytes(StandardCharsets.US_ASCII);
    }

    /** Options of a synthetic CDA; start from {@link #cda()}. */
    public record Cda(String idRoot, String idExtension, String code, String title, String insExtension, String insRoot,
                      String birthFamily, String birthGivens, String firstGiven, String birthTime, String sex, String county,
                      Body body, byte[] pdf, String prefixBeforeRoot) {
        public enum Body { N1_PDF, N3_PDF, STRUCTURED_NO_PDF }

        public Cda withIns(String extension, String root) {
            return new Cda(idRoot, idExtension, code, title, extension, root, birthFamily, birthGivens, firstGiven, birthTime, sex,
                county, body, pdf, prefixBeforeRoot);
        }

        public Cda withTraits(String family, String givens, String first, String birth, String sexCode) {
            return new Cda(idRoot, idExtension, code, title, insExtension, insRoot, family, givens, first, birth, sexCode, county,
                body, pdf, prefixBeforeRoot);
        }

        public Cda withBody(Body value, byte[] pdfBytes) {
            return new Cda(idRoot, idExtension, code, title, insExtension, insRoot, birthFamily, birthGivens, firstGiven, birthTime,
                sex, county, value, pdfBytes, prefixBeforeRoot);
        }

        public Cda withId(String root, String extension) {
            return new Cda(root, extension, code, title, insExtension, insRoot, birthFamily, birthGivens, firstGiven, birthTime, sex,
                county, body, pdf, prefixBeforeRoot);
        }

        /** Text inserted after the XML declaration (a DOCTYPE, for hostile variants). */
        public Cda withProlog(String prolog) {
            return new Cda(idRoot, idExtension, code, title, insExtension, insRoot, birthFamily, birthGivens, firstGiven, birthTime,
                sex, county, body, pdf, prolog);
        }

        public String xml() {
            StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
            x.append(prefixBeforeRoot == null ? "" : prefixBeforeRoot + "\n");
            x.append("<ClinicalDocument xmlns=\"urn:hl7-org:v3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n");
            x.append("  <realmCode code=\"FR\"/>\n  <typeId root=\"2.16.840.1.113883.1.3\" extension=\"POCD_HD000040\"/>\n");
            x.append("  <templateId root=\"2.16.840.1.113883.2.8.2.1\"/>\n  <templateId root=\"1.2.250.1.213.1.1.1.1\"/>\n");
            x.append(body == Body.N1_PDF ? "  <templateId root=\"1.3.6.1.4.1.19376.1.2.20\"/>\n"
                : "  <templateId root=\"1.3.6.1.4.1.19376.1.3.3\"/>\n");
            x.append("  <id root=\"").append(idRoot).append('"').append(idExtension == null ? "" : " extension=\"" + idExtension + "\"")
                .append("/>\n");
            x.append("  <code code=\"").append(code).append("\" codeSystem=\"2.16.840.1.113883.6.1\" displayName=\"CR d'examens biologiques\"/>\n");
            x.append("  <title>").append(title).append("</title>\n");
            x.append("  <effectiveTime value=\"20261123101500+0100\"/>\n");
            x.append("  <confidentialityCode code=\"N\" codeSystem=\"2.16.840.1.113883.5.25\"/>\n  <languageCode code=\"fr-FR\"/>\n");
            x.append("  <setId root=\"").append(idRoot).append(".9\"/>\n  <versionNumber value=\"2\"/>\n");
            x.append("  <recordTarget><patientRole>\n");
            if (insExtension != null) {
                x.append("    <id extension=\"").append(insExtension).append("\" root=\"").append(insRoot).append("\"/>\n");
            }
            x.append("    <id extension=\"IPP-42\" root=\"1.2.3.4.567.8.9.10\"/>\n");
            x.append("    <patient classCode=\"PSN\"><name>\n");
            if (birthFamily != null) {
                x.append("      <family qualifier=\"BR\">").append(birthFamily).append("</family>\n");
            }
            if (birthGivens != null) {
                x.append("      <given>").append(birthGivens).append("</given>\n");
            }
            if (firstGiven != null) {
                x.append("      <given qualifier=\"BR\">").append(firstGiven).append("</given>\n");
            }
            x.append("      <family qualifier=\"CL\">USAGE</family><given qualifier=\"CL\">PRENOM-USAGE</given>\n    </name>\n");
            if (sex != null) {
                x.append("    <administrativeGenderCode code=\"").append(sex).append("\" codeSystem=\"2.16.840.1.113883.5.1\"/>\n");
            }
            if (birthTime != null) {
                x.append("    <birthTime value=\"").append(birthTime).append("\"/>\n");
            }
            if (county != null) {
                x.append("    <birthplace><place><addr><county>").append(county).append("</county></addr></place></birthplace>\n");
            }
            x.append("    </patient>\n  </patientRole></recordTarget>\n");
            x.append("  <author><time value=\"20261123101500+0100\"/><assignedAuthor>\n");
            x.append("    <id root=\"1.2.250.1.71.4.2.1\" extension=\"801234534765\"/>\n");
            x.append("    <code code=\"G15_10/SM03\" codeSystem=\"1.2.250.1.213.1.1.4.5\"/>\n");
            x.append("    <assignedPerson><name><prefix>M</prefix><given>Marcel</given><family>CAMPARINI</family></name></assignedPerson>\n");
            x.append("    <representedOrganization><id root=\"1.2.250.1.71.4.2.2\" extension=\"1120459876\"/>")
                .append("<name>Laboratoire de test</name></representedOrganization>\n");
            x.append("  </assignedAuthor></author>\n");
            x.append("  <custodian><assignedCustodian><representedCustodianOrganization>")
                .append("<id root=\"1.2.250.1.71.4.2.2\" extension=\"1120459876\"/><name>Laboratoire de test</name>")
                .append("</representedCustodianOrganization></assignedCustodian></custodian>\n");
            String base64 = pdf == null ? "" : Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pdf);
            switch (body) {
                case N1_PDF -> x.append("  <component><nonXMLBody><text mediaType=\"application/pdf\" representation=\"B64\">\n")
                    .append(base64).append("\n  </text></nonXMLBody></component>\n");
                case N3_PDF -> x.append("  <component><structuredBody><component><section>\n")
                    .append("    <code code=\"55107-7\" codeSystem=\"2.16.840.1.113883.6.1\"/><title>Document attaché</title>\n")
                    .append("    <entry><organizer classCode=\"CLUSTER\" moodCode=\"EVN\"><component>\n")
                    .append("      <observationMedia classCode=\"OBS\" moodCode=\"EVN\" ID=\"doc-1\">\n")
                    .append("        <value mediaType=\"application/pdf\" representation=\"B64\">").append(base64).append("</value>\n")
                    .append("      </observationMedia></component></organizer></entry>\n")
                    .append("  </section></component></structuredBody></component>\n");
                default -> x.append("  <component><structuredBody><component><section><title>Résultats</title>")
                    .append("<text>TSH 1,2 mUI/L</text></section></component></structuredBody></component>\n");
            }
            x.append("</ClinicalDocument>\n");
            return x.toString();
        }

        public byte[] bytes() {
            return xml().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A qualified test INS, N1 body with a PDF. */
    public static Cda cda() {
        return new Cda("1.2.250.1.999.1.1.1", "DOC-1", "11502-2", "Compte rendu de test", TEST_INS, TEST_OID, "PAT-TROIS",
            "DOMINIQUE MARIE-LOUISE", "DOMINIQUE", "19790328", "F", "51215", Cda.Body.N1_PDF, pdf("test-pdf-1"), null);
    }

    /**
     * {@code cda} as a new version replacing {@code parentRoot^parentExtension} ({@code relatedDocument typeCode="RPLC"}),
     * optionally written by another author of another organisation than the synthetic lab's.
     */
    public static byte[] replacing(Cda cda, String parentRoot, String parentExtension, boolean otherOrganisation) {
        String xml = cda.xml().replace("  <recordTarget>", "  <relatedDocument typeCode=\"RPLC\"><parentDocument><id root=\""
            + parentRoot + "\" extension=\"" + parentExtension + "\"/></parentDocument></relatedDocument>\n  <recordTarget>");
        if (otherOrganisation) {
            xml = xml.replace("801234534765", "809999999999").replace("1120459876", "1129999999");
        }
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    /** One document of an XDM submission set. */
    public record XdmDocument(String file, String mimeType, byte[] content, String uniqueId, String patientCx, String formatCode,
                              String uriOverride, String hashOverride) {
        public static XdmDocument cda(String file, Cda cda) {
            String uniqueId = cda.idExtension() == null ? cda.idRoot() : cda.idRoot() + "^" + cda.idExtension();
            return new XdmDocument(file, "text/xml", cda.bytes(), uniqueId, cda.insExtension() + "^^^&" + cda.insRoot() + "&ISO^NH",
                "urn:ihe:iti:xds-sd:pdf:2008", null, null);
        }

        /** {@code cda}'s entry with other bytes (e.g. {@link TestDocuments#replacing}). */
        public static XdmDocument cda(String file, Cda cda, byte[] content) {
            XdmDocument entry = cda(file, cda);
            return new XdmDocument(file, entry.mimeType(), content, entry.uniqueId(), entry.patientCx(), entry.formatCode(), null, null);
        }

        public XdmDocument withUri(String uri) {
            return new XdmDocument(file, mimeType, content, uniqueId, patientCx, formatCode, uri, hashOverride);
        }

        public XdmDocument withHash(String hash) {
            return new XdmDocument(file, mimeType, content, uniqueId, patientCx, formatCode, uriOverride, hash);
        }

        public XdmDocument withPatient(String cx) {
            return new XdmDocument(file, mimeType, content, uniqueId, cx, formatCode, uriOverride, hashOverride);
        }
    }

    /** The METADATA.XML of {@code documents}; {@code fragment} = without namespace declarations, prefixed like DRIM-M. */
    public static String metadata(List<XdmDocument> documents, boolean fragment) {
        StringBuilder x = new StringBuilder();
        if (fragment) {
            x.append("\n\t<ns3:SubmitObjectsRequest>\n<RegistryObjectList>\n");
        } else {
            x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lcm:SubmitObjectsRequest ")
                .append("xmlns:lcm=\"urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0\" ")
                .append("xmlns:rim=\"urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0\">\n<rim:RegistryObjectList>\n");
        }
        String p = fragment ? "" : "rim:";
        x.append('<').append(p).append("RegistryPackage id=\"SubmissionSet01\">\n");
        x.append(externalIdentifier(p, "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8", "1.2.250.1.999.1.1.8121.4.1",
            "XDSSubmissionSet.uniqueId"));
        if (!documents.isEmpty()) {
            x.append(externalIdentifier(p, "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446", documents.get(0).patientCx(),
                "XDSSubmissionSet.patientId"));
        }
        x.append("</").append(p).append("RegistryPackage>\n");
        int i = 0;
        for (XdmDocument d : documents) {
            i++;
            x.append('<').append(p).append("ExtrinsicObject id=\"Document0").append(i).append("\" mimeType=\"").append(d.mimeType())
                .append("\" objectType=\"urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1\">\n");
            x.append(slot(p, "creationTime", "20261123101500"));
            x.append(slot(p, "hash", d.hashOverride() != null ? d.hashOverride() : sha1(d.content())));
            x.append(slot(p, "size", String.valueOf(d.content().length)));
            x.append(slot(p, "URI", d.uriOverride() != null ? d.uriOverride() : d.file()));
            x.append('<').append(p).append("Name><").append(p).append("LocalizedString value=\"Compte rendu de test\"/></")
                .append(p).append("Name>\n");
            x.append('<').append(p).append("Classification classificationScheme=\"urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d\" ")
                .append("classifiedObject=\"Document0").append(i).append("\" nodeRepresentation=\"").append(d.formatCode()).append("\">")
                .append(slot(p, "codingScheme", "1.3.6.1.4.1.19376.1.2.3")).append("</").append(p).append("Classification>\n");
            x.append('<').append(p).append("Classification classificationScheme=\"urn:uuid:f0306f51-975f-434e-a61c-c59651d33983\" ")
                .append("classifiedObject=\"Document0").append(i).append("\" nodeRepresentation=\"11502-2\">")
                .append(slot(p, "codingScheme", "2.16.840.1.113883.6.1")).append("</").append(p).append("Classification>\n");
            x.append(externalIdentifier(p, "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427", d.patientCx(), "XDSDocumentEntry.patientId"));
            x.append(externalIdentifier(p, "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab", d.uniqueId(), "XDSDocumentEntry.uniqueId"));
            x.append("</").append(p).append("ExtrinsicObject>\n");
        }
        x.append(fragment ? "</RegistryObjectList>\n</ns3:SubmitObjectsRequest>\n" : "</rim:RegistryObjectList>\n</lcm:SubmitObjectsRequest>\n");
        return x.toString();
    }

    private static String slot(String p, String name, String value) {
        return "<" + p + "Slot name=\"" + name + "\"><" + p + "ValueList><" + p + "Value>" + value + "</" + p + "Value></" + p
            + "ValueList></" + p + "Slot>\n";
    }

    private static String externalIdentifier(String p, String scheme, String value, String name) {
        return "<" + p + "ExternalIdentifier identificationScheme=\"" + scheme + "\" value=\"" + value.replace("&", "&amp;") + "\">"
            + "<" + p + "Name><" + p + "LocalizedString value=\"" + name + "\"/></" + p + "Name></" + p + "ExternalIdentifier>\n";
    }

    /** An XDM package: INDEX.HTM, README.TXT, {@code IHE_XDM/<subset>/METADATA.XML} and the documents in the subset folder. */
    public static byte[] xdmZip(String subset, List<XdmDocument> documents, boolean fragment) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("INDEX.HTM", "<html><body>XDM</body></html>".getBytes(StandardCharsets.US_ASCII));
        entries.put("README.TXT", "Test XDM package\r\n".getBytes(StandardCharsets.US_ASCII));
        entries.put("IHE_XDM/" + subset + "/METADATA.XML", metadata(documents, fragment).getBytes(StandardCharsets.UTF_8));
        for (XdmDocument d : documents) {
            entries.put("IHE_XDM/" + subset + "/" + d.file(), d.content());
        }
        return zip(entries);
    }

    /** A deflated zip of {@code entries} (in order). */
    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A MIME attachment. */
    public static MimeBodyPart attachment(byte[] content, String filename, String contentType) {
        try {
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(new ByteArrayDataSource(content, contentType)));
            if (filename != null) {
                part.setFileName(filename);
                part.setDisposition(MimeBodyPart.ATTACHMENT);
            }
            part.setHeader("Content-Transfer-Encoding", "base64");
            return part;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MimeBodyPart text(String text) {
        try {
            MimeBodyPart part = new MimeBodyPart();
            part.setText(text, "UTF-8");
            return part;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A multipart of the given subtype, as a body part (to nest). */
    public static MimeBodyPart multipart(String subtype, BodyPart... parts) {
        try {
            MimeMultipart multipart = new MimeMultipart(subtype);
            for (BodyPart part : parts) {
                multipart.addBodyPart(part);
            }
            MimeBodyPart holder = new MimeBodyPart();
            holder.setContent(multipart);
            return holder;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A message with a text part and the attachments, serialised and parsed again (as James hands it over). */
    public static MimeMessage message(String subject, BodyPart... attachments) {
        try {
            MimeMessage message = new MimeMessage(SESSION);
            message.setFrom(new InternetAddress("labo@lab.mss.test"));
            message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress("dr.martin@hop.mss.test"));
            message.setSubject(subject, "UTF-8");
            MimeMultipart mixed = new MimeMultipart("mixed");
            mixed.addBodyPart(text("Bonjour,\nveuillez trouver le compte rendu.\n"));
            for (BodyPart part : attachments) {
                mixed.addBodyPart(part);
            }
            message.setContent(mixed);
            message.saveChanges();
            return parse(bytes(message));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(MimeMessage message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static MimeMessage parse(byte[] bytes) throws MessagingException {
        return new MimeMessage(SESSION, new ByteArrayInputStream(bytes));
    }

    public static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
