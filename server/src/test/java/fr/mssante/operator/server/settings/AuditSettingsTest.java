package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Period;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.devmode.DevelopmentSecrets;

/** MSS_AUDIT_HASH_KEY and MSS_AUDIT_RETENTION (issue 14). */
class AuditSettingsTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void retentionIsAYearByDefaultAndTakesAPeriodOrDays() {
        assertThat(ServerSettings.resolve(Map.of("MSS_AUDIT_HASH_KEY", KEY)::get, name -> null).audit().retention())
            .isEqualTo(Period.ofYears(1));
        assertThat(ServerSettings.resolve(Map.of("MSS_AUDIT_HASH_KEY", KEY, "MSS_AUDIT_RETENTION", "P6M")::get, name -> null)
            .audit().retention()).isEqualTo(Period.ofMonths(6));
        assertThat(ServerSettings.resolve(Map.of("MSS_AUDIT_HASH_KEY", KEY, "MSS_AUDIT_RETENTION", "400")::get, name -> null)
            .audit().retention()).isEqualTo(Period.ofDays(400));
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_AUDIT_HASH_KEY", KEY, "MSS_AUDIT_RETENTION", "1 an")::get,
            name -> null).audit()).isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_AUDIT_RETENTION");
    }

    @Test
    void theHashingKeyIsRequiredAndLongEnough() {
        // without a key (development fills it in from var/dev before this; production has nothing to fall back on)
        assertThatThrownBy(() -> ServerSettings.resolve(name -> null, name -> null).audit())
            .isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_AUDIT_HASH_KEY");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_AUDIT_HASH_KEY",
            Base64.getEncoder().encodeToString(new byte[16]))::get, name -> null).audit())
            .isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_AUDIT_HASH_KEY");
    }

    @Test
    void developmentGeneratesItsKeyOnceUnderVarDev() throws Exception {
        Path dev = Files.createTempDirectory("mss-dev-");
        String key = DevelopmentSecrets.auditHashKey(dev);
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(DevelopmentSecrets.auditHashKey(dev)).isEqualTo(key);
        assertThat(Files.getPosixFilePermissions(dev.resolve("audit-hash.key"))).containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void theKeyIsNeverPublishedAsASystemProperty() {
        ServerSettings.resolve(Map.of("MSS_AUDIT_HASH_KEY", KEY)::get, name -> null).publishAsSystemProperties();
        assertThat(System.getProperty("mss.audit.hashKey")).isNull();
    }
}
