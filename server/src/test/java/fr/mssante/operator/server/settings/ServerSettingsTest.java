package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
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
    void oneMessageSizeLimitWithAnExplicitUnit() {
        assertThat(ServerSettings.resolve(name -> null, name -> null).maxMessageSize()).isEqualTo(36L * 1024 * 1024);
        assertThat(ServerSettings.resolve(Map.of("MSS_MAX_MESSAGE_SIZE", "512k")::get, name -> null).maxMessageSize())
            .isEqualTo(512L * 1024);
        // a bare number would mean KiB to James's SMTP and bytes to its IMAP: refused
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_MAX_MESSAGE_SIZE", "36864")::get, name -> null))
            .isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_MAX_MESSAGE_SIZE").hasMessageContaining("36864");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_MAX_MESSAGE_SIZE", "3G")::get, name -> null))
            .hasMessageContaining("MSS_MAX_MESSAGE_SIZE");
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
    void twoListenersOnOnePortAreRefusedNamingBoth() {
        // found by the scale-out scenario: a node given one port for WebAdmin and the development issuer never said
        // "ready" (James's WebAdmin waits for ever after its bind fails)
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_WEBADMIN_PORT", "39767", "MSS_OIDC_DEV_PORT", "39767")::get,
            name -> null))
            .isInstanceOf(InvalidSettingException.class)
            .hasMessageContaining("MSS_WEBADMIN_PORT").hasMessageContaining("MSS_OIDC_DEV_PORT").hasMessageContaining("39767");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_IMAP_PORT", "10025")::get, name -> null))
            .hasMessageContaining("MSS_IMAP_PORT").hasMessageContaining("MSS_SMTP_MX_PORT");
        // port 0 (any free port) may repeat; a development-only listener does not count in production
        assertThat(ServerSettings.resolve(Map.of("MSS_IMAP_PORT", "0", "MSS_SMTP_MX_PORT", "0")::get, name -> null)
            .listeners()).extracting(ServerSettings.Listener::port).doesNotContain(Setting.IMAP_PORT, Setting.SMTP_MX_PORT);
    }

    @Test
    void aPortHeldByAnotherProcessStopsStartUpNamingTheSetting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerSettings settings = ServerSettings.resolve(
                Map.of("MSS_WEBADMIN_PORT", String.valueOf(taken.getLocalPort()))::get, name -> null);
            assertThatThrownBy(() -> PortAvailability.requireFree(settings.listeners()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("MSS_WEBADMIN_PORT").hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void theDirectoryDownloadCapIsAPositiveByteCount() {
        assertThat(ServerSettings.resolve(name -> null, name -> null).directoryDownloadLimits())
            .isEqualTo(fr.mssante.operator.directory.source.DownloadLimits.DEFAULT);
        assertThat(ServerSettings.resolve(Map.of("MSS_DIRECTORY_DOWNLOAD_MAX_BYTES", "52428800")::get, name -> null)
            .directoryDownloadLimits().maxBytes()).isEqualTo(52_428_800L);
        for (String bad : new String[] {"0", "-1", "1G", "lots"}) {
            assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_DIRECTORY_DOWNLOAD_MAX_BYTES", bad)::get, name -> null))
                .as(bad).hasMessageContaining("MSS_DIRECTORY_DOWNLOAD_MAX_BYTES");
        }
    }

    @Test
    void onlyPostgresqlUrlsAreAccepted() {
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_DB_URL", "jdbc:mysql://db/x")::get, name -> null))
            .hasMessageContaining("MSS_DB_URL");
    }

    @Test
    void theEmbeddedDatabaseCommitsSynchronouslyUnlessTheOperatorChoosesOtherwise() {
        assertThat(ServerSettings.resolve(name -> null, name -> null).synchronousCommit()).isEqualTo("on");
        assertThat(ServerSettings.resolve(Map.of("MSS_DB_SYNCHRONOUS_COMMIT", "OFF")::get, name -> null).synchronousCommit())
            .isEqualTo("off");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_DB_SYNCHRONOUS_COMMIT", "remote_apply")::get, name -> null))
            .hasMessageContaining("MSS_DB_SYNCHRONOUS_COMMIT");
    }

    @Test
    void theStorageReserveIsASize() {
        assertThat(ServerSettings.resolve(name -> null, name -> null).minFreeSpace()).isEqualTo(256L << 20);
        assertThat(ServerSettings.resolve(Map.of("MSS_MIN_FREE_SPACE", "0")::get, name -> null).minFreeSpace()).isZero();
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_MIN_FREE_SPACE", "a lot")::get, name -> null))
            .hasMessageContaining("MSS_MIN_FREE_SPACE");
    }

    @Test
    void productionRequiresRealKeyMaterialAndDatabase() {
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_MODE", "production")::get, name -> null))
            .isInstanceOf(InvalidSettingException.class)
            .hasMessageContaining("production mode requires MSS_WEBADMIN_JWT_PUBLIC_KEY, MSS_TLS_CERTIFICATE, "
                + "MSS_TLS_PRIVATE_KEY, MSS_TRUST_ROOTS, MSS_TRUST_LIST, MSS_DB_URL, MSS_DB_PASSWORD, MSS_CLAMD_ADDRESS");
    }

    @Test
    void theLoginThrottleSettingsAreReadAndChecked() {
        var throttle = ServerSettings.resolve(Map.of("MSS_LOGIN_FREE_FAILURES", "3", "MSS_LOGIN_SOURCE_FREE_FAILURES", "50",
            "MSS_LOGIN_FIRST_DELAY", "PT2S", "MSS_LOGIN_MAX_DELAY", "PT1H", "MSS_LOGIN_FORGET_AFTER", "PT12H")::get, name -> null)
            .authentication().throttle();
        assertThat(throttle.perLogin()).isEqualTo(new fr.mssante.operator.authentication.LoginThrottle.Backoff(3,
            java.time.Duration.ofSeconds(2), java.time.Duration.ofHours(1)));
        assertThat(throttle.perSource().freeFailures()).isEqualTo(50);
        assertThat(throttle.forgetAfter()).isEqualTo(java.time.Duration.ofHours(12));
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_LOGIN_FIRST_DELAY", "PT1H", "MSS_LOGIN_MAX_DELAY", "PT1M")::get,
            name -> null).authentication()).hasMessageContaining("MSS_LOGIN_MAX_DELAY");
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_LOGIN_FREE_FAILURES", "-1")::get, name -> null).authentication())
            .hasMessageContaining("MSS_LOGIN_FREE_FAILURES");
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
    void confFileIsTheLowestPrecedenceSource() {
        Map<String, String> file = Map.of("mss.imap.port", "4143", "mss.imaps.port", "4993");
        ServerSettings settings = ServerSettings.resolve(Map.of("MSS_IMAP_PORT", "2143")::get, name -> null, file::get);
        assertThat(settings.port(Setting.IMAP_PORT)).isEqualTo(2143);
        assertThat(settings.port(Setting.IMAPS_PORT)).isEqualTo(4993);
    }

    @Test
    void aPkcs12IdentityIsConvertedToPemAtStart(@TempDir Path directory) throws Exception {
        fr.mssante.operator.server.devmode.DevelopmentPki pki = new fr.mssante.operator.server.devmode.DevelopmentPki(directory.resolve("pki"));
        pki.ensureExists();
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        java.security.PrivateKey key;
        try (java.io.InputStream in = Files.newInputStream(pki.serverKey())) {
            key = fr.mssante.operator.trust.tls.PemKeyMaterial.privateKey(in);
        }
        java.security.cert.Certificate[] chain;
        try (java.io.InputStream in = Files.newInputStream(pki.serverChain())) {
            chain = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)
                .toArray(new java.security.cert.Certificate[0]);
        }
        store.setKeyEntry("server", key, "secret".toCharArray(), chain);
        Path p12 = directory.resolve("server.p12");
        try (java.io.OutputStream out = Files.newOutputStream(p12)) {
            store.store(out, "secret".toCharArray());
        }
        ServerSettings settings = Pkcs12Identity.convertIfNeeded(ServerSettings.resolve(Map.of(
            "MSS_TLS_CERTIFICATE", p12.toString(), "MSS_TLS_KEYSTORE_PASSWORD", "secret")::get, name -> null), directory);
        assertThat(Path.of(settings.get(Setting.TLS_CERTIFICATE))).hasContent(Files.readString(pki.serverChain()));
        assertThat(Files.readString(Path.of(settings.get(Setting.TLS_PRIVATE_KEY)))).contains("PRIVATE KEY");
        assertThatThrownBy(() -> Pkcs12Identity.convertIfNeeded(ServerSettings.resolve(Map.of(
            "MSS_TLS_CERTIFICATE", p12.toString(), "MSS_TLS_KEYSTORE_PASSWORD", "wrong")::get, name -> null), directory))
            .hasMessageContaining("MSS_TLS_CERTIFICATE").hasMessageContaining("MSS_TLS_KEYSTORE_PASSWORD");
    }

    @Test
    void thePasswordIsNeverPublishedAsASystemProperty() {
        ServerSettings.resolve(Map.of("MSS_DB_PASSWORD", "hidden")::get, name -> null).publishAsSystemProperties();
        assertThat(System.getProperty("mss.db.password")).isNull();
        assertThat(System.getProperty("mss.smtp.mx.port")).isEqualTo("10025");
    }

    /** Issue 17: the dépublication period is a setting like the others, no longer read with System.getenv by the routes. */
    @Test
    void theDepublicationPeriodIsASettingCheckedAtStartup() {
        assertThat(ServerSettings.resolve(name -> null, name -> null).unusedMailboxPolicy().unusedFor())
            .isEqualTo(java.time.Period.ofMonths(12));
        assertThat(ServerSettings.resolve(Map.of("MSS_DIRECTORY_DEPUBLISH_AFTER", "P6M")::get, name -> null)
            .unusedMailboxPolicy().unusedFor()).isEqualTo(java.time.Period.ofMonths(6));
        assertThat(ServerSettings.resolve(name -> null, Map.of("mss.directory.depublishAfter", "P2Y")::get)
            .unusedMailboxPolicy().unusedFor()).isEqualTo(java.time.Period.ofYears(2));
        assertThatThrownBy(() -> ServerSettings.resolve(Map.of("MSS_DIRECTORY_DEPUBLISH_AFTER", "12 months")::get, name -> null))
            .isInstanceOf(InvalidSettingException.class).hasMessageContaining("MSS_DIRECTORY_DEPUBLISH_AFTER");
    }
}
