package fr.mssante.operator.trust.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.mssante.operator.trust.pki.Pem;
import fr.mssante.operator.trust.source.FileTrustListSource;
import fr.mssante.operator.trust.testpki.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustSpaceSettingsTest {

    @Test
    void defaultsApplyWhenOnlyTheRequiredKeysAreSet() {
        TrustSpaceSettings s = TrustSpaceSettings.fromMap(Map.of("MSS_TRUST_ROOTS", "/etc/mss/roots.pem",
                "MSS_TRUST_LIST", "https://espacedeconfiance.mssante.fr/listeblanchemssante.xml"));

        assertThat(s.refreshInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(s.minRatio()).isEqualTo(0.9);
        assertThat(s.maxBytes()).isEqualTo(64L << 20);
        assertThat(s.crlFiles()).isEmpty();
        assertThat(s.fetchCrls()).isTrue();
        assertThat(s.ocsp()).isTrue();
        assertThat(s.softFail()).isFalse();
        assertThat(s.revocationCache()).isEqualTo(Duration.ofHours(1));
        assertThat(s.httpTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsEveryKey() {
        TrustSpaceSettings s = TrustSpaceSettings.fromMap(Map.ofEntries(
                Map.entry("MSS_TRUST_ROOTS", "roots.pem"), Map.entry("MSS_TRUST_LIST", "var/lb.xml"),
                Map.entry("MSS_TRUST_LIST_REFRESH", "PT30M"), Map.entry("MSS_TRUST_LIST_MIN_RATIO", "0.8"),
                Map.entry("MSS_TRUST_LIST_MAX_BYTES", "1000000"), Map.entry("MSS_TRUST_CRL_FILES", "a.crl, b.crl"),
                Map.entry("MSS_TRUST_CRL_FETCH", "no"), Map.entry("MSS_TRUST_OCSP", "false"),
                Map.entry("MSS_TRUST_REVOCATION_SOFT_FAIL", "true"), Map.entry("MSS_TRUST_REVOCATION_CACHE", "15m"),
                Map.entry("MSS_TRUST_HTTP_TIMEOUT", "5s")));

        assertThat(s.refreshInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.minRatio()).isEqualTo(0.8);
        assertThat(s.maxBytes()).isEqualTo(1_000_000L);
        assertThat(s.crlFiles()).containsExactly(Path.of("a.crl"), Path.of("b.crl"));
        assertThat(s.fetchCrls()).isFalse();
        assertThat(s.ocsp()).isFalse();
        assertThat(s.softFail()).isTrue();
        assertThat(s.revocationCache()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.httpTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertThatThrownBy(() -> TrustSpaceSettings.fromMap(Map.of("MSS_TRUST_LIST", "x")))
                .hasMessage("MSS_TRUST_ROOTS is required");
        assertThatThrownBy(() -> TrustSpaceSettings.fromMap(Map.of("MSS_TRUST_ROOTS", "r", "MSS_TRUST_LIST", "x",
                "MSS_TRUST_LIST_REFRESH", "soon"))).hasMessageStartingWith("MSS_TRUST_LIST_REFRESH");
        assertThatThrownBy(() -> TrustSpaceSettings.fromMap(Map.of("MSS_TRUST_ROOTS", "r", "MSS_TRUST_LIST", "x",
                "MSS_TRUST_LIST_MIN_RATIO", "90%"))).hasMessageStartingWith("MSS_TRUST_LIST_MIN_RATIO");
        assertThatThrownBy(() -> TrustSpaceSettings.fromMap(Map.of("MSS_TRUST_ROOTS", "r", "MSS_TRUST_LIST", "x",
                "MSS_TRUST_OCSP", "maybe"))).hasMessageStartingWith("MSS_TRUST_OCSP");
    }

    @Test
    void buildsTheComponents(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.generate();
        Path roots = dir.resolve("roots.pem");
        Files.writeString(roots, Pem.encode("CERTIFICATE", pki.root().getEncoded()));
        TrustSpaceSettings s = TrustSpaceSettings.fromMap(Map.of("MSS_TRUST_ROOTS", roots.toString(),
                "MSS_TRUST_LIST", dir.resolve("lb.xml").toString()));

        assertThat(s.loadRoots()).containsExactly(pki.root());
        assertThat(s.validationConfig(s.loadRoots()).roots()).containsExactly(pki.root());
        assertThat(s.source(List.of())).isInstanceOf(FileTrustListSource.class);
        assertThat(s.listValidator().minRatio()).isEqualTo(0.9);
        assertThat(s.parser().maxBytes()).isEqualTo(64L << 20);
    }
}
