package fr.mssante.operator.trust.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.mssante.operator.trust.dn.DistinguishedName;
import fr.mssante.operator.trust.testpki.ListedPair;
import fr.mssante.operator.trust.testpki.ListeBlancheWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustListParserTest {
    private static final Instant GENERATED = Instant.parse("2025-03-13T14:54:10Z");
    private final TrustListParser parser = new TrustListParser();

    static List<ListedPair> pairs(int n) {
        List<ListedPair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ListedPair("d" + i + ".mssante.fr", "CN=mx" + (i % 3) + ".op.fr,OU=" + (i % 3)
                    + ",O=OP & CO,ST=Paris (75),C=FR", "Domaine " + i));
        }
        return out;
    }

    static byte[] xml(List<ListedPair> pairs, boolean rootEnd) {
        return ListeBlancheWriter.write(pairs, GENERATED, rootEnd).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesEntriesAndIndexesThem() throws Exception {
        List<ListedPair> pairs = new ArrayList<>(pairs(5));
        pairs.add(new ListedPair("D0.MSSANTE.FR.", "CN=other.op.fr,O=OTHER,C=FR", "second DN for d0"));

        TrustList list = parser.parse(xml(pairs, true));

        assertThat(list.entryCount()).isEqualTo(6);
        assertThat(list.domainCount()).isEqualTo(5);
        assertThat(list.generatedAt()).contains(GENERATED);
        assertThat(list.missingRootEndTag()).isFalse();
        assertThat(list.sha256()).hasSize(64);
        assertThat(list.dnsFor("d0.mssante.fr")).hasSize(2);
        assertThat(list.isListed("d0.mssante.fr", DistinguishedName.parse("CN=other.op.fr, O=other, C=FR"))).isTrue();
        assertThat(list.isListed("d1.mssante.fr",
                DistinguishedName.parse("CN=mx1.op.fr,OU=1,O=OP & CO,ST=Paris (75),C=FR"))).isTrue();
        assertThat(list.isListed("d1.mssante.fr",
                DistinguishedName.parse("CN=mx0.op.fr,OU=0,O=OP & CO,ST=Paris (75),C=FR"))).isFalse();
        assertThat(list.containsDomain("unknown.fr")).isFalse();
        assertThat(list.domainsFor(DistinguishedName.parse("CN=mx0.op.fr,OU=0,O=OP & CO,ST=Paris (75),C=FR")))
                .containsExactlyInAnyOrder("d0.mssante.fr", "d3.mssante.fr");
        assertThat(list.entries().get(0).description()).isEqualTo("Domaine 0");
        assertThat(list.entries().get(0).updatedAt()).isEqualTo(GENERATED);
    }

    @Test
    void acceptsTheKnownMissingClosingRootTag() throws Exception {
        TrustList list = parser.parse(xml(pairs(3), false));

        assertThat(list.entryCount()).isEqualTo(3);
        assertThat(list.missingRootEndTag()).isTrue();
    }

    @Test
    void refusesADocumentCutInsideAnEntry() {
        String full = new String(xml(pairs(3), false), StandardCharsets.UTF_8);
        String cut = full.substring(0, full.indexOf("<DNCertificatOperateur>", full.indexOf("d2.mssante.fr")) + 30);

        assertThatThrownBy(() -> parser.parse(cut.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TrustListParseException.class)
                .hasMessageContaining("inside entry #3");
    }

    @Test
    void refusesADocumentCutBetweenEntries() {
        String full = new String(xml(pairs(3), false), StandardCharsets.UTF_8);
        String cut = full.substring(0, full.lastIndexOf("</Domaine>") + "</Domaine>".length());

        assertThatThrownBy(() -> parser.parse(cut.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TrustListParseException.class)
                .hasMessageContaining("ListeDomaines not closed");
    }

    @Test
    void refusesADtdAndExternalEntities() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<ListeBlancheMSSante xmlns=\"https://listeblanche.mssante.fr/schema\"><ListeDomaines><Domaine>"
                + "<Nom>&e;</Nom><DNCertificatOperateur>CN=a</DNCertificatOperateur></Domaine></ListeDomaines>"
                + "</ListeBlancheMSSante>";

        assertThatThrownBy(() -> parser.parse(xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TrustListParseException.class)
                .hasMessageContaining("DTD");
    }

    @Test
    void refusesAnotherRootOrNamespace() {
        String other = "<ListeBlancheMSSante xmlns=\"urn:other\"><ListeDomaines/></ListeBlancheMSSante>";

        assertThatThrownBy(() -> parser.parse(other.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TrustListParseException.class)
                .hasMessageContaining("unexpected root element");
    }

    @Test
    void refusesEmptyGarbageAndOversizedDocuments() {
        assertThatThrownBy(() -> parser.parse(new byte[0])).hasMessageContaining("empty document");
        assertThatThrownBy(() -> parser.parse("<html><body>502 Bad Gateway".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(TrustListParseException.class);
        assertThatThrownBy(() -> new TrustListParser(100).parse(xml(pairs(2), true)))
                .hasMessageContaining("larger than 100 bytes");
    }

    @Test
    void refusesADocumentWithoutListeDomaines() {
        String doc = "<ListeBlancheMSSante xmlns=\"" + TrustListParser.NAMESPACE + "\"></ListeBlancheMSSante>";

        assertThatThrownBy(() -> parser.parse(doc.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no ListeDomaines");
    }

    @Test
    void skipsUnreadableEntriesWithAReason() throws Exception {
        List<ListedPair> pairs = new ArrayList<>(pairs(3));
        pairs.add(new ListedPair("bad.mssante.fr", "CN=a,,O=b", "bad DN"));
        pairs.add(new ListedPair("", "CN=a,O=b", "no domain"));

        TrustList list = parser.parse(xml(pairs, true));

        assertThat(list.entryCount()).isEqualTo(3);
        assertThat(list.skippedEntries()).hasSize(2);
        assertThat(list.skippedEntries().get(0)).contains("bad.mssante.fr", "unparseable DN");
    }

    @Test
    void checksumIsTheSha256OfTheBytes() throws Exception {
        byte[] doc = xml(pairs(2), true);

        assertThat(parser.parse(doc).sha256()).isEqualTo(TrustListParser.sha256(doc));
        assertThat(parser.parse(xml(pairs(3), true)).sha256()).isNotEqualTo(TrustListParser.sha256(doc));
    }
}
