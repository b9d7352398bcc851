package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Issue 18: MSS_PROXY_PROTOCOL and MSS_PROXY_TRUSTED, validated at start. */
class ProxyProtocolSettingsTest {
    private static ServerSettings resolve(Map<String, String> environment) {
        return ServerSettings.resolve(environment::get, name -> null);
    }

    @Test
    void offByDefaultAndThenNobodyIsTrusted() throws Exception {
        ServerSettings settings = resolve(Map.of());
        assertThat(settings.get(Setting.PROXY_PROTOCOL)).isEqualTo("false");
        assertThat(settings.proxyProtocol().isEmpty()).isTrue();
        // a list without the protocol on trusts nobody either
        assertThat(resolve(Map.of("MSS_PROXY_TRUSTED", "10.0.0.5")).proxyProtocol().isEmpty()).isTrue();
    }

    @Test
    void onWithTheFrontsListed() throws Exception {
        ServerSettings settings = resolve(Map.of("MSS_PROXY_PROTOCOL", "true", "MSS_PROXY_TRUSTED", "10.0.0.5, 172.30.18.0/24"));
        assertThat(settings.proxyProtocol().contains(InetAddress.getByName("172.30.18.10"))).isTrue();
        assertThat(settings.proxyProtocol().contains(InetAddress.getByName("10.0.0.6"))).isFalse();
    }

    @Test
    void onWithoutFrontsABadEntryOrABadFlagStopTheStartNamingTheSetting() {
        assertThatThrownBy(() -> resolve(Map.of("MSS_PROXY_PROTOCOL", "true")))
            .isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_PROXY_TRUSTED");
        assertThatThrownBy(() -> resolve(Map.of("MSS_PROXY_PROTOCOL", "true", "MSS_PROXY_TRUSTED", "haproxy")))
            .isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_PROXY_TRUSTED").hasMessageContaining("'haproxy'");
        assertThatThrownBy(() -> resolve(Map.of("MSS_PROXY_PROTOCOL", "yes", "MSS_PROXY_TRUSTED", "10.0.0.5")))
            .isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_PROXY_PROTOCOL");
    }
}
