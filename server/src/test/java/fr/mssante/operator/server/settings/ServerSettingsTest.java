package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSettingsTest {
    @Test
    void developmentDefaultsNeedNothing() {
        ServerSettings settings = ServerSettings.resolve(name -> null, name -> null);
        assertThat(settings.mode()).isEqualTo(RuntimeMode.DEVELOPMENT);
        assertThat(settings.port(Setting.SMTP_MX_PORT)).isEqualTo(10025);
        assertThat(settings.port(Setting.WEBADMIN_PORT)).isEqualTo(18000);
        assertThat(settings.get(Setting.WEBADMIN_HOST)).isEqualTo("127.0.0.1");
        assertThat(settings.usesEmbeddedDatabase()).isTrue();
    }

    @Test
    void systemPropertyWinsOverEnvironment() {
        ServerSettings settings = ServerSettings.resolve(Map.of("MSS_IMAP_PORT", "2143")::get,
            Map.of("mss.imap.port", "3143")::get);
        assertThat(settings.port(Setting.IMAP_PORT)).isEqualTo(3143);
    }

    @Test
    void anInvalidPortNamesTheVariable() {
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_SMTP_MX_PORT", "twenty-five")::get, name -> null))
            .isInstanceOf(InvalidSettingException.class)
            .hasMessageContaining("MSS_SMTP_MX_PORT")
            .hasMessageContaining("twenty-five");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_IMAPS_PORT", "70000")::get, name -> null))
            .hasMessageContaining("MSS_IMAPS_PORT");
    }

    @Test
    void onlyPostgresqlUrlsAreAccepted() {
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_DB_URL", "jdbc:mysql://db/x")::get, name -> null))
            .hasMessageContaining("MSS_DB_URL");
    }

    @Test
    void productionRequiresRealKeyMaterialAndDatabase() {
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_MODE", "production")::get, name -> null))
            .isInstanceOf(InvalidSettingException.class)
            .hasMessageContaining("production mode requires MSS_WEBADMIN_JWT_PUBLIC_KEY, MSS_TLS_CERTIFICATE, "
                + "MSS_TLS_PRIVATE_KEY, MSS_DB_URL, MSS_DB_PASSWORD");
    }

    @Test
    void anUnknownModeIsRefused() {
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_MODE", "staging")::get, name -> null))
            .hasMessageContaining("MSS_MODE").hasMessageContaining("staging");
    }

    @Test
    void aSettingCanComeFromASecretFile(@TempDir Path directory) throws Exception {
        Path secret = directory.resolve("db-password");
        Files.writeString(secret, "s3cret\n");
        ServerSettings settings = ServerSettings.resolve(Map.of("MSS_DB_PASSWORD_FILE", secret.toString())::get, name -> null);
        assertThat(settings.get(Setting.DB_PASSWORD)).isEqualTo("s3cret");
    }

    @Test
    void thePasswordIsNeverPublishedAsASystemProperty() {
        ServerSettings.resolve(Map.of("MSS_DB_PASSWORD", "hidden")::get, name -> null).publishAsSystemProperties();
        assertThat(System.getProperty("mss.db.password")).isNull();
        assertThat(System.getProperty("mss.smtp.mx.port")).isEqualTo("10025");
    }
}
