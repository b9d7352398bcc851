package fr.mssante.operator.trust.list;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.mssante.operator.trust.SharedFixtures;
import fr.mssante.operator.trust.dn.DistinguishedName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real liste blanche published by the ANS (ansforge/MSS-liste-blanche @08b7662, 2025-03-13). */
class SharedSnapshotTest {
    private static byte[] snapshot;
    private static TrustList list;

    @BeforeAll
    static void load() throws Exception {
        Path file = SharedFixtures.snapshotOrSkip();
        snapshot = Files.readAllBytes(file);
        list = new TrustListParser().parse(snapshot);
    }

    @Test
    void allEntriesLoadDespiteTheMissingRootEndTag() {
        assertThat(list.entryCount()).isEqualTo(6554);
        assertThat(list.domainCount()).isEqualTo(5002);
        assertThat(list.skippedEntries()).isEmpty();
        assertThat(list.missingRootEndTag()).isTrue();
        assertThat(list.generatedAt()).hasValueSatisfying(i -> assertThat(i.toString()).startsWith("2025-03-13"));
        assertThat(list.pairCount()).isLessThanOrEqualTo(6533).isGreaterThan(6400);
    }

    @Test
    void quirkyDnsMatchTheirNormalisedForms() {
        assertThat(list.isListed("interop-mssante.apicrypt.org", DistinguishedName.parse(
                "CN=mailin.interop-mssante.apicrypt.org,OU=343975235300037,O=APICEM,ST=Nord (59),C=FR"))).isTrue();
        String limoges = list.domainsFor(DistinguishedName.parse(
                "CN=mss.chu-limoges.fr,OU=1870000015,O=C H U DE LIMOGES,ST=Haute-Vienne (87),C=FR"))
                .iterator().next();
        assertThat(limoges).isNotBlank();
        DistinguishedName curie = DistinguishedName.of(new X500Principal(
                "CN=scytale.curie.fr,OU=1750160012,O=CLCC INSTITUT CURIE,ST=Paris (75),C=FR"));
        assertThat(list.containsDn(curie)).isTrue();
        assertThat(list.containsDn(DistinguishedName.parse(
                "CN=mss.strasbourg.unicancer.fr,OU=1670000033,O=CRLCC \\\"PAUL STRAUSS\\\",ST=Bas-Rhin (67),C=FR")))
                .isTrue();
    }

    @Test
    void auditDomainsAreListedWithTheirDns() {
        assertThat(list.containsDomain("cert-valide-audit.espacedeconfiance.mssante.fr")).isTrue();
        assertThat(list.dnsFor("cert-revoque-audit.espacedeconfiance.mssante.fr")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(list.isListed("sans-tls-audit.espacedeconfiance.mssante.fr",
                DistinguishedName.parse("CN=cert-valide-audit.espacedeconfiance.mssante.fr,OU=x,O=y,C=FR")))
                .isFalse();
    }

    @Test
    void aCopyWithTheRootEndTagLoadsTheSame() throws Exception {
        String fixed = new String(snapshot, StandardCharsets.UTF_8) + "</ListeBlancheMSSante>\n";

        TrustList complete = new TrustListParser().parse(fixed.getBytes(StandardCharsets.UTF_8));

        assertThat(complete.entryCount()).isEqualTo(6554);
        assertThat(complete.missingRootEndTag()).isFalse();
        assertThat(TrustListDiff.between(list, complete).isEmpty()).isTrue();
    }

    @Test
    void aTruncatedCopyIsRefused() {
        byte[] cut = java.util.Arrays.copyOf(snapshot, snapshot.length / 2);

        assertThatThrownBy(() -> new TrustListParser().parse(cut))
                .isInstanceOf(TrustListParseException.class)
                .hasMessageContaining("inside entry");
    }
}
