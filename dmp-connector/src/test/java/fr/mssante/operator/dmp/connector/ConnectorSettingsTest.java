package fr.mssante.operator.dmp.connector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectorSettingsTest {
    @Test
    void readsTheEnvironmentWithSecretsFromFiles(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("p12.pass"), "s3cret\n");
        ConnectorSettings s = ConnectorSettings.fromEnvironment(Map.of(
            "MSS_DB_URL", "jdbc:postgresql://127.0.0.1:15432/mss",
            "MSS_DMP_KEYSTORE", "/etc/mss/dmp.p12",
            "MSS_DMP_KEYSTORE_PASSWORD_FILE", password.toString(),
            "MSS_DMP_TRUSTSTORE", "/etc/mss/dmp-ca.pem",
            "MSS_DMP_THREADS", "4",
            "MSS_DMP_RETRY_BASE", "PT10S",
            "MSS_DMP_FACILITY_TYPE_CODE", "SA07^Cabinet individuel^1.2.250.1.71.4.2.4"), null);

        assertThat(s.dmpUrl().toString()).isEqualTo(ConnectorSettings.DEFAULT_DMP_URL);
        assertThat(s.keystorePassword()).containsExactly("s3cret".toCharArray());
        assertThat(s.worker().threads()).isEqualTo(4);
        assertThat(s.retryPolicy().base()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.retryPolicy().maxAge()).isEqualTo(Duration.ofHours(72));
        assertThat(s.xds().healthcareFacilityTypeCode().code()).isEqualTo("SA07");
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void refusesPlainHttpUnlessAllowedAndMissingSettings() {
        Map<String, String> http = Map.of("MSS_DB_URL", "jdbc:postgresql://h/db", "MSS_DMP_URL",
            "http://127.0.0.1:18090/si-dmp-server/v2/services/repository");
        assertThatThrownBy(() -> ConnectorSettings.fromEnvironment(http, null))
            .hasMessageContaining("MSS_DMP_ALLOW_HTTP");
        assertThatThrownBy(() -> ConnectorSettings.fromEnvironment(Map.of("MSS_DB_URL", "jdbc:postgresql://h/db"),
            null)).hasMessageContaining("MSS_DMP_KEYSTORE");
        assertThatThrownBy(() -> ConnectorSettings.fromEnvironment(Map.of(), null))
            .hasMessageContaining("MSS_DB_URL");
        assertThatThrownBy(() -> ConnectorSettings.fromEnvironment(Map.of("MSS_DB_URL", "jdbc:postgresql://h/db",
            "MSS_DMP_KEYSTORE", "k", "MSS_DMP_KEYSTORE_PASSWORD", "p", "MSS_DMP_TRUSTSTORE", "t",
            "MSS_DMP_POLL_INTERVAL", "5 seconds"), null)).hasMessageContaining("MSS_DMP_POLL_INTERVAL");
    }
}
