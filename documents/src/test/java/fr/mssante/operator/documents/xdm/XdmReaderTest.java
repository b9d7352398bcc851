package fr.mssante.operator.documents.xdm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.documents.content.Content;
import fr.mssante.operator.documents.testing.HostileXml;
import fr.mssante.operator.documents.testing.TestDocuments;
import fr.mssante.operator.documents.testing.TestDocuments.XdmDocument;
import fr.mssante.operator.documents.zip.SafeUnzipper;
import fr.mssante.operator.documents.zip.UnzippedArchive;

class XdmReaderTest {
    private final XdmReader reader = new XdmReader();
    private final XdmDocument document = XdmDocument.cda("DOC0001.XML", TestDocuments.cda());

    private static UnzippedArchive unzip(byte[] zip) throws Exception {
        return new SafeUnzipper().unzip(Content.copyOf(zip));
    }

    private static UnzippedArchive archive(Map<String, byte[]> entries) throws Exception {
        return unzip(TestDocuments.zip(entries));
    }

    private XdmRejectedException refused(UnzippedArchive archive) {
        XdmRejectedException e = catchThrowableOfType(() -> reader.read(archive), XdmRejectedException.class);
        assertThat(e).as("package must be refused").isNotNull();
        return e;
    }

    @Test
    void subset01Layout() throws Exception {
        XdmPackage xdm = reader.read(unzip(TestDocuments.xdmZip("SUBSET01", List.of(document), false)));
        assertThat(xdm.hasIndexHtm()).isTrue();
        assertThat(xdm.hasReadmeTxt()).isTrue();
        assertThat(xdm.issues()).isEmpty();
        XdmSubset subset = xdm.subsets().get(0);
        assertThat(subset.directory()).isEqualTo("IHE_XDM/SUBSET01/");
        assertThat(subset.submissionSetUniqueId()).contains("1.2.250.1.999.1.1.8121.4.1");
        assertThat(subset.submissionPatientId()).contains(new CxIdentifier("279035121518989", "1.2.250.1.213.1.4.10", Optional.of("NH")));
        XdmDocumentEntry entry = xdm.documents().get(0);
        assertThat(entry.entryId()).isEqualTo("Document01");
        assertThat(entry.mimeType()).isEqualTo("text/xml");
        assertThat(entry.uniqueId()).contains("1.2.250.1.999.1.1.1^DOC-1");
        assertThat(entry.patientId().map(CxIdentifier::id)).contains("279035121518989");
        assertThat(entry.uri()).contains("DOC0001.XML");
        assertThat(entry.archiveEntry().orElseThrow().name()).isEqualTo("IHE_XDM/SUBSET01/DOC0001.XML");
        assertThat(entry.archiveEntry().orElseThrow().content().toByteArray()).isEqualTo(document.content());
        assertThat(entry.formatCode()).contains(new XdsCode("urn:ihe:iti:xds-sd:pdf:2008", "1.3.6.1.4.1.19376.1.2.3", Optional.empty()));
        assertThat(entry.typeCode().map(XdsCode::code)).contains("11502-2");
        assertThat(entry.title()).contains("Compte rendu de test");
        assertThat(entry.hash()).contains(TestDocuments.sha1(document.content()));
        assertThat(entry.size()).contains((long) document.content().length);
        assertThat(entry.creationTime()).contains("20261123101500");
    }

    /** ANS DRIM-M layout: folder SS000001, URI relative to IHE_XDM/, a fragment with the undeclared prefix ns3. */
    @Test
    void drimLayoutWithUndeclaredPrefixes() throws Exception {
        String metadata = TestDocuments.metadata(List.of(document.withUri("SS000001/DOC0001.XML")), true);
        assertThat(metadata).startsWith("\n\t<ns3:SubmitObjectsRequest>");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("IHE_XDM/SS000001/METADATA.XML", metadata.getBytes(StandardCharsets.UTF_8));
        entries.put("IHE_XDM/SS000001/DOC0001.XML", document.content());
        XdmPackage xdm = reader.read(archive(entries));
        assertThat(xdm.subsets()).extracting(XdmSubset::directory).containsExactly("IHE_XDM/SS000001/");
        assertThat(xdm.documents().get(0).archiveEntry().orElseThrow().name()).isEqualTo("IHE_XDM/SS000001/DOC0001.XML");
        assertThat(xdm.issues()).extracting(XdmIssue::code).containsExactly(XdmIssue.Code.NO_INDEX_HTM, XdmIssue.Code.NO_README_TXT);
    }

    @Test
    void lowerCaseNamesAndSplitUris() throws Exception {
        String metadata = TestDocuments.metadata(List.of(document), false)
            .replace("<rim:Value>DOC0001.XML</rim:Value>", "<rim:Value>2|01.xml</rim:Value><rim:Value>1|doc00</rim:Value>");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("index.htm", new byte[] {1});
        entries.put("readme.txt", new byte[] {1});
        entries.put("ihe_xdm/subset01/metadata.xml", metadata.getBytes(StandardCharsets.UTF_8));
        entries.put("ihe_xdm/subset01/DOC0001.XML", document.content());
        XdmPackage xdm = reader.read(archive(entries));
        assertThat(xdm.hasIndexHtm()).isTrue();
        assertThat(xdm.documents().get(0).uri()).contains("doc0001.xml");
        assertThat(xdm.documents().get(0).archiveEntry().orElseThrow().name()).isEqualTo("ihe_xdm/subset01/DOC0001.XML");
        assertThat(xdm.issues()).isEmpty();
    }

    @Test
    void twoSubsets() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("IHE_XDM/SUBSET01/METADATA.XML", TestDocuments.metadata(List.of(document), false).getBytes(StandardCharsets.UTF_8));
        entries.put("IHE_XDM/SUBSET01/DOC0001.XML", document.content());
        entries.put("IHE_XDM/SUBSET02/METADATA.XML", TestDocuments.metadata(List.of(document), false).getBytes(StandardCharsets.UTF_8));
        entries.put("IHE_XDM/SUBSET02/DOC0001.XML", document.content());
        XdmPackage xdm = reader.read(archive(entries));
        assertThat(xdm.subsets()).extracting(XdmSubset::directory).containsExactly("IHE_XDM/SUBSET01/", "IHE_XDM/SUBSET02/");
        assertThat(xdm.documents()).extracting(d -> d.archiveEntry().orElseThrow().name())
            .containsExactly("IHE_XDM/SUBSET01/DOC0001.XML", "IHE_XDM/SUBSET02/DOC0001.XML");
    }

    @Test
    void integrityAndReferenceIssues() throws Exception {
        XdmDocument wrongHash = XdmDocument.cda("DOC0001.XML", TestDocuments.cda()).withHash("0000000000000000000000000000000000000000");
        XdmDocument missing = XdmDocument.cda("DOC0002.XML", TestDocuments.cda()).withUri("NOWHERE.XML");
        XdmDocument escaping = XdmDocument.cda("DOC0003.XML", TestDocuments.cda()).withUri("../../README.TXT");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("IHE_XDM/SUBSET01/METADATA.XML",
            TestDocuments.metadata(List.of(wrongHash, missing, escaping), false).getBytes(StandardCharsets.UTF_8));
        entries.put("IHE_XDM/SUBSET01/DOC0001.XML", wrongHash.content());
        entries.put("README.TXT", new byte[] {1});
        entries.put("INDEX.HTM", new byte[] {1});
        XdmPackage xdm = reader.read(archive(entries));
        assertThat(xdm.issues()).extracting(XdmIssue::code)
            .containsExactly(XdmIssue.Code.HASH_MISMATCH, XdmIssue.Code.URI_NOT_IN_ARCHIVE, XdmIssue.Code.URI_NOT_IN_ARCHIVE);
        assertThat(xdm.issues().get(0).where()).isEqualTo("IHE_XDM/SUBSET01/#Document01");
        assertThat(xdm.documents().get(2).archiveEntry()).isEmpty();
    }

    @Test
    void noMetadata() throws Exception {
        assertThat(refused(archive(Map.of("IHE_XDM/SUBSET01/DOC0001.XML", document.content(), "METADATA.XML", new byte[] {1})))
            .reason()).isEqualTo(XdmRejection.NO_METADATA);
    }

    @Test
    void xxeInMetadataIsRefused() throws Exception {
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE lcm:SubmitObjectsRequest [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
            + TestDocuments.metadata(List.of(document), false).replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "")
            .replace("Compte rendu de test", "&xxe;");
        XdmRejectedException e = refused(archive(Map.of("IHE_XDM/SUBSET01/METADATA.XML", xxe.getBytes(StandardCharsets.UTF_8))));
        assertThat(e.reason()).isEqualTo(XdmRejection.METADATA_DOCTYPE_FORBIDDEN);
        assertThat(e.getMessage()).startsWith("METADATA_DOCTYPE_FORBIDDEN: IHE_XDM/SUBSET01/METADATA.XML: DOCTYPE_FORBIDDEN");
    }

    @Test
    void billionLaughsInMetadataIsRefused() throws Exception {
        String laughs = HostileXml.billionLaughs("SubmitObjectsRequest") + "\n"
            + "<SubmitObjectsRequest><RegistryObjectList>&lol9;</RegistryObjectList></SubmitObjectsRequest>";
        assertThat(refused(archive(Map.of("IHE_XDM/SUBSET01/METADATA.XML", laughs.getBytes(StandardCharsets.UTF_8)))).reason())
            .isEqualTo(XdmRejection.METADATA_DOCTYPE_FORBIDDEN);
    }

    @Test
    void malformedMetadata() throws Exception {
        assertThat(refused(archive(Map.of("IHE_XDM/SUBSET01/METADATA.XML", "<a><b></a>".getBytes(StandardCharsets.UTF_8)))).reason())
            .isEqualTo(XdmRejection.METADATA_MALFORMED);
    }

    @Test
    void cxParsing() {
        assertThat(CxIdentifier.parse("162018885045327^^^&1.2.250.1.213.1.4.10&ISO^NH"))
            .contains(new CxIdentifier("162018885045327", "1.2.250.1.213.1.4.10", Optional.of("NH")));
        assertThat(CxIdentifier.parse("162018885045327")).isEmpty();
        assertThat(CxIdentifier.parse("^^^&1.2.3&ISO")).isEmpty();
        assertThat(CxIdentifier.parse("X^^^&1.2.3&ISO").orElseThrow().typeCode()).isEmpty();
    }
}
