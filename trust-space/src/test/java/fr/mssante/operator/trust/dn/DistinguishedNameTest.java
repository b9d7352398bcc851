package fr.mssante.operator.trust.dn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DistinguishedNameTest {
    private static final String APICRYPT =
            "CN=mailin.interop-mssante.apicrypt.org,OU=343975235300037,O=APICEM,ST=Nord (59),C=FR";

    @Test
    void parsesRdnsInStringOrder() {
        DistinguishedName dn = DistinguishedName.parse(APICRYPT);

        assertThat(dn.rdns()).hasSize(5);
        assertThat(dn.rdns().get(0).valueOf("CN")).isEqualTo("mailin.interop-mssante.apicrypt.org");
        assertThat(dn.rdns().get(3).valueOf("ST")).isEqualTo("Nord (59)");
        assertThat(dn.commonName()).isEqualTo("mailin.interop-mssante.apicrypt.org");
        assertThat(dn.original()).isEqualTo(APICRYPT);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CN=mailin.interop-mssante.apicrypt.org, OU=343975235300037, O=APICEM, ST=Nord (59), C=FR",
        "cn=MAILIN.interop-mssante.apicrypt.org;ou=343975235300037;o=apicem;st=NORD (59);c=fr",
        "CN = mailin.interop-mssante.apicrypt.org , OU = 343975235300037 , O = APICEM , S=Nord (59) , C=FR",
        "2.5.4.3=mailin.interop-mssante.apicrypt.org,2.5.4.11=343975235300037,2.5.4.10=APICEM,2.5.4.8=Nord (59),C=FR",
        "OID.2.5.4.3=mailin.interop-mssante.apicrypt.org,OU=343975235300037,O=\"APICEM\",ST=Nord  (59),C=FR",
        "CN=mailin.interop-mssante.apicrypt.org,OU=343975235300037,O=APICEM,ST=Nord\\20(59),C=FR",
        "CN=mailin.interop-mssante.apicrypt.org,OU=343975235300037,O=#0c0641504943454d,ST=Nord (59),C=FR",
    })
    void variantsOfTheSameDnAreEqual(String variant) {
        DistinguishedName reference = DistinguishedName.parse(APICRYPT);
        DistinguishedName other = DistinguishedName.parse(variant);

        assertThat(other).isEqualTo(reference);
        assertThat(other.hashCode()).isEqualTo(reference.hashCode());
        assertThat(other.canonical()).isEqualTo(reference.canonical());
    }

    @Test
    void quotedValuesDoubleAndNonBreakingSpacesCompareEqual() {
        DistinguishedName quoted = DistinguishedName.parse(
                "CN=mss.chu-limoges.fr,OU=1870000015,O=\"C H U  DE  LIMOGES\",ST=Haute-Vienne (87),C=FR");
        DistinguishedName plain = DistinguishedName.parse(
                "CN=mss.chu-limoges.fr,OU=1870000015,O=C H U DE LIMOGES,ST=Haute-Vienne (87),C=FR");
        DistinguishedName nbsp = DistinguishedName.parse(
                "CN=mss.chu-limoges.fr,OU=1870000015,O=\"C\u00a0H U\u00a0 DE LIMOGES\",ST=Haute-Vienne (87),C=FR");

        assertThat(quoted).isEqualTo(plain).isEqualTo(nbsp);
        assertThat(new HashSet<>(List.of(quoted, plain, nbsp))).hasSize(1);
    }

    @Test
    void quoteInsideAnUnquotedValueIsLiteral() {
        DistinguishedName dn = DistinguishedName.parse(
                "CN=mss.strasbourg.unicancer.fr,OU=1670000033,O=CRLCC \"PAUL STRAUSS\",ST=Bas-Rhin (67),C=FR");

        assertThat(dn.rdns().get(2).valueOf("O")).isEqualTo("CRLCC \"PAUL STRAUSS\"");
        assertThat(dn).isEqualTo(DistinguishedName.parse(
                "CN=mss.strasbourg.unicancer.fr,OU=1670000033,O=CRLCC \\\"PAUL STRAUSS\\\",ST=Bas-Rhin (67),C=FR"));
    }

    @Test
    void multiValuedRdnsAreOrderInsensitive() {
        assertThat(DistinguishedName.parse("CN=a+OU=b,O=c,C=FR"))
                .isEqualTo(DistinguishedName.parse("OU=B + CN=A,O=c,C=FR"));
        assertThat(DistinguishedName.parse("CN=a+OU=b,O=c")).isNotEqualTo(DistinguishedName.parse("CN=a,OU=b,O=c"));
    }

    @Test
    void rdnOrderMatters() {
        assertThat(DistinguishedName.parse("CN=a,O=b,C=FR")).isNotEqualTo(DistinguishedName.parse("C=FR,O=b,CN=a"));
    }

    @Test
    void differentValuesDiffer() {
        assertThat(DistinguishedName.parse("CN=host,OU=1,O=A,C=FR"))
                .isNotEqualTo(DistinguishedName.parse("CN=host,OU=2,O=A,C=FR"));
    }

    @Test
    void escapesAndUtf8HexPairsAreDecoded() {
        DistinguishedName dn = DistinguishedName.parse("CN=a\\,b\\+c,ST=Pyr\\C3\\A9n\\C3\\A9es-Atlantiques (64),C=FR");

        assertThat(dn.rdns().get(0).valueOf("CN")).isEqualTo("a,b+c");
        assertThat(dn.rdns().get(1).valueOf("ST")).isEqualTo("Pyrénées-Atlantiques (64)");
        assertThat(dn).isEqualTo(DistinguishedName.parse("CN=a\\,b\\+c,ST=Pyrénées-Atlantiques (64),C=FR"));
    }

    @Test
    void composedAndDecomposedAccentsAreEqual() {
        String composed = "CN=h,ST=Pyr\u00e9n\u00e9es (64),C=FR";
        String decomposed = "CN=h,ST=Pyre\u0301ne\u0301es (64),C=FR";

        assertThat(DistinguishedName.parse(composed)).isEqualTo(DistinguishedName.parse(decomposed));
    }

    @Test
    void fromX500PrincipalEqualsTheParsedString() {
        String text = "CN=mss.ch-orthez.fr,OU=1640780813,O=CENTRE HOSPITALIER ORTHEZ,ST=Pyrénées-Atlantiques (64),C=FR";
        DistinguishedName fromPrincipal = DistinguishedName.of(new X500Principal(text));

        assertThat(fromPrincipal).isEqualTo(DistinguishedName.parse(
                "CN=mss.ch-orthez.fr,OU=1640780813,O=\"CENTRE HOSPITALIER   ORTHEZ\",ST=Pyrénées-Atlantiques (64),C=FR"));
        assertThat(fromPrincipal.commonName()).isEqualTo("mss.ch-orthez.fr");
    }

    @Test
    void fromX500PrincipalKeepsMultiValuedRdnsAndUnknownTypes() {
        X500Principal p = new X500Principal("CN=a+OU=b,OID.2.5.4.97=VATFR-123,C=FR");

        assertThat(DistinguishedName.of(p)).isEqualTo(DistinguishedName.parse("OU=b+CN=a,2.5.4.97=VATFR-123,C=FR"));
    }

    @Test
    void emptyStringIsTheEmptyDn() {
        assertThat(DistinguishedName.parse("  ").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CN=a,|trailing separator",
        "CN|missing '='",
        "=a|empty attribute type",
        "CN=\"abc|unterminated quoted value",
        "CN=a\\|dangling backslash",
        "C N=a|invalid attribute type",
        "CN=\\ff\\fe|not UTF-8",
    })
    void malformedDnsAreRejectedWithAReason(String text, String reason) {
        assertThatThrownBy(() -> DistinguishedName.parse(text))
                .isInstanceOf(DnParseException.class)
                .hasMessageContaining(reason);
    }
}
