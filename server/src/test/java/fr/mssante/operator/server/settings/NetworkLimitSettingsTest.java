package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.extensions.imap.SearchLimits;

/** Issue 12: the network and work limits are settings, validated at start. */
class NetworkLimitSettingsTest {
    @Test
    void defaultsBoundEverything() {
        ServerSettings settings = ServerSettings.resolve(name -> null, name -> null);
        assertThat(settings.count(Setting.IMAP_CONNECTIONS_PER_ADDRESS, 0)).isEqualTo(50);
        assertThat(settings.count(Setting.SMTP_CONNECTIONS_PER_ADDRESS, 0)).isEqualTo(50);
        assertThat(settings.maxMessageSize()).isEqualTo(36 * 1024 * 1024);
        assertThat(settings.searchLimits()).isEqualTo(new SearchLimits(Duration.ofSeconds(30), 4));
        assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void invalidLimitsStopTheStartNamingTheSetting() {
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_IMAP_CONNECTIONS_PER_ADDRESS", "-1")::get, name -> null))
            .hasMessageContaining("MSS_IMAP_CONNECTIONS_PER_ADDRESS");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_SMTP_MAX_CONNECTIONS", "many")::get, name -> null))
            .hasMessageContaining("MSS_SMTP_MAX_CONNECTIONS");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_IMAP_SEARCH_TIMEOUT", "PT0S")::get, name -> null))
            .hasMessageContaining("MSS_IMAP_SEARCH_TIMEOUT");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_MIME_MAX_DEPTH", "1")::get, name -> null))
            .hasMessageContaining("MSS_MIME_MAX_DEPTH");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_SHUTDOWN_TIMEOUT", "soon")::get, name -> null))
            .hasMessageContaining("MSS_SHUTDOWN_TIMEOUT");
    }
}
