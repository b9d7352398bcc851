package fr.mssante.operator.server.settings;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.server.devmode.DevelopmentPki;

class ProductionSafetyTest {
    @TempDir
    Path workingDirectory;

    private ServerSettings production(Path certificate, Path key, Path jwt) {
        return ServerSettings.resolve(Map.of(
            "MSS_MODE", "production",
            "MSS_TLS_CERTIFICATE", certificate.toString(),
            "MSS_TLS_PRIVATE_KEY", key.toString(),
            "MSS_WEBADMIN_JWT_PUBLIC_KEY", jwt.toString(),
            "MSS_TRUST_ROOTS", jwt.toString(),
            "MSS_TRUST_LIST", "https://listeblanche.example/liste.xml",
            "MSS_DB_URL", "jdbc:postgresql://db.example:5432/mss",
            "MSS_DB_PASSWORD", "x",
            "MSS_CLAMD_ADDRESS", "127.0.0.1:3310")::get, name -> null);
    }

    @Test
    void keyMaterialUnderVarDevIsRefused() {
        DevelopmentPki pki = new DevelopmentPki(workingDirectory.resolve("var/dev/pki"));
        pki.ensureExists();
        ServerSettings settings = production(pki.serverChain(), pki.serverKey(), pki.caCertificate());
        assertThatThrownBy(() -> ProductionSafety.checkKeyMaterial(settings, workingDirectory))
            .hasMessageContaining("MSS_TLS_CERTIFICATE").hasMessageContaining("development");
    }

    @Test
    void theDevelopmentTrustRootsAreRefused() throws Exception {
        DevelopmentPki pki = new DevelopmentPki(workingDirectory.resolve("var/dev/pki"));
        pki.ensureExists();
        Path etc = Files.createDirectories(workingDirectory.resolve("etc"));
        Path chain = Files.writeString(etc.resolve("chain.pem"), "x");
        ServerSettings settings = ServerSettings.resolve(Map.of(
            "MSS_MODE", "production", "MSS_TLS_CERTIFICATE", chain.toString(), "MSS_TLS_PRIVATE_KEY", chain.toString(),
            "MSS_WEBADMIN_JWT_PUBLIC_KEY", chain.toString(), "MSS_TRUST_ROOTS", pki.caCertificate().toString(),
            "MSS_TRUST_LIST", "https://listeblanche.example/liste.xml", "MSS_DB_URL", "jdbc:postgresql://db/mss",
            "MSS_DB_PASSWORD", "x",
            "MSS_CLAMD_ADDRESS", "127.0.0.1:3310")::get, name -> null);
        assertThatThrownBy(() -> ProductionSafety.checkKeyMaterial(settings, workingDirectory))
            .hasMessageContaining("MSS_TRUST_ROOTS").hasMessageContaining("development");
    }

    @Test
    void aDevelopmentCertificateCopiedElsewhereIsStillRefused() throws Exception {
        DevelopmentPki pki = new DevelopmentPki(workingDirectory.resolve("var/dev/pki"));
        pki.ensureExists();
        Path etc = Files.createDirectories(workingDirectory.resolve("etc"));
        Path chain = Files.copy(pki.serverChain(), etc.resolve("chain.pem"));
        Path key = Files.copy(pki.serverKey(), etc.resolve("key.pem"));
        Path jwt = Files.writeString(etc.resolve("jwt.pem"), "not used");
        assertThatThrownBy(() -> ProductionSafety.checkKeyMaterial(production(chain, key, jwt), workingDirectory))
            .hasMessageContaining("development certificate");
    }

    @Test
    void anIdentityProviderOverPlainHttpIsRefused() {
        for (String setting : new String[] {"MSS_OIDC_JWKS_URL", "MSS_OIDC_INTROSPECTION_URL"}) {
            java.util.Map<String, String> values = new java.util.HashMap<>(Map.of(
                "MSS_MODE", "production", "MSS_TRUST_LIST", "https://listeblanche.example/liste.xml",
                "MSS_DB_URL", "jdbc:postgresql://db.example:5432/mss", "MSS_DB_PASSWORD", "x", "MSS_CLAMD_ADDRESS", "127.0.0.1:3310",
                "MSS_OIDC_ISSUER", "https://auth.example/realms/psc", "MSS_OIDC_AUDIENCE", "mss"));
            for (String file : new String[] {"MSS_TLS_CERTIFICATE", "MSS_TLS_PRIVATE_KEY", "MSS_WEBADMIN_JWT_PUBLIC_KEY", "MSS_TRUST_ROOTS"}) {
                values.put(file, "etc/not-read.pem");
            }
            values.put(setting, "http://auth.example/realms/psc/protocol/openid-connect/certs");
            values.put("MSS_OIDC_CLIENT_ID", "mss");
            values.put("MSS_OIDC_CLIENT_SECRET", "not-a-secret");
            ServerSettings settings = ServerSettings.resolve(values::get, name -> null);
            assertThatThrownBy(() -> ProductionSafety.checkKeyMaterial(settings, workingDirectory))
                .hasMessageContaining(setting).hasMessageContaining("https://");
        }
        java.util.Map<String, String> values = new java.util.HashMap<>(Map.of("MSS_MODE", "production",
            "MSS_TRUST_LIST", "https://x.example/l.xml", "MSS_DB_URL", "jdbc:postgresql://db/mss", "MSS_DB_PASSWORD", "x",
            "MSS_CLAMD_ADDRESS", "127.0.0.1:3310", "MSS_OIDC_ISSUER", "https://auth.example/realms/psc", "MSS_OIDC_AUDIENCE", "mss",
            "MSS_OIDC_JWKS_URL", "https://auth.example/realms/psc/protocol/openid-connect/certs"));
        for (String file : new String[] {"MSS_TLS_CERTIFICATE", "MSS_TLS_PRIVATE_KEY", "MSS_WEBADMIN_JWT_PUBLIC_KEY", "MSS_TRUST_ROOTS"}) {
            values.put(file, "etc/not-read.pem");
        }
        ServerSettings secure = ServerSettings.resolve(values::get, name -> null);
        ProductionSafety.checkIssuerEndpoints(secure);
    }
}
