package fr.mssante.operator.trust.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class TrustedFrontsTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void singleAddressesAndRangesOfBothFamiliesAreMatched() throws Exception {
        TrustedFronts fronts = TrustedFronts.parse("10.0.0.5, 192.0.2.0/24 fd00::/8,::1");

        assertThat(fronts.contains(ip("10.0.0.5"))).isTrue();
        assertThat(fronts.contains(ip("10.0.0.6"))).isFalse();
        assertThat(fronts.contains(ip("192.0.2.0"))).isTrue();
        assertThat(fronts.contains(ip("192.0.2.255"))).isTrue();
        assertThat(fronts.contains(ip("192.0.3.1"))).isFalse();
        assertThat(fronts.contains(ip("fd12:3456::1"))).isTrue();
        assertThat(fronts.contains(ip("fe80::1"))).isFalse();
        assertThat(fronts.contains(ip("::1"))).isTrue();
        assertThat(fronts.contains(ip("127.0.0.1"))).isFalse();
        assertThat(fronts).hasToString("10.0.0.5, 192.0.2.0/24, fd00::/8, ::1");
    }

    @Test
    void oddPrefixLengthsMaskInsideAByte() throws Exception {
        TrustedFronts fronts = TrustedFronts.parse("172.16.0.0/12");

        assertThat(fronts.contains(ip("172.31.255.254"))).isTrue();
        assertThat(fronts.contains(ip("172.32.0.1"))).isFalse();
        assertThat(fronts.contains(ip("172.15.0.1"))).isFalse();
        assertThat(TrustedFronts.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    }

    @Test
    void anEmptyListTrustsNobody() throws Exception {
        TrustedFronts fronts = TrustedFronts.parse(" ");

        assertThat(fronts.isEmpty()).isTrue();
        assertThat(fronts.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedWithTheEntry() {
        assertThatThrownBy(() -> TrustedFronts.parse("10.0.0.1, haproxy")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'haproxy'").hasMessageContaining("no host names");
        assertThatThrownBy(() -> TrustedFronts.parse("10.0.0.0/33")).hasMessageContaining("'10.0.0.0/33'");
        assertThatThrownBy(() -> TrustedFronts.parse("10.0.0.0/x")).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> TrustedFronts.parse("999.0.0.1")).hasMessageContaining("'999.0.0.1'");
        assertThatThrownBy(() -> TrustedFronts.parse("fd00::/129")).hasMessageContaining("0 to 128");
    }
}
