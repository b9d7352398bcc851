package fr.mssante.operator.server.settings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import javax.sql.DataSource;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.devmode.DevelopmentPki;

/**
 * Production mode refuses to start with development keys or demo credentials: TLS and WebAdmin key material from
 * {@code var/dev}, certificates issued by the development CA, or the demo domain and its mailboxes in the database; and
 * with an identity provider reached over plain HTTP (a JWKS or introspection URL that is not {@code https://}: whoever
 * sits on the path could then serve their own signing keys or answer "active" for any token).
 */
public final class ProductionSafety {
    private ProductionSafety() {
    }

    public static void checkKeyMaterial(ServerSettings settings, Path workingDirectory) {
        checkIssuerEndpoints(settings);
        Path devDirectory = workingDirectory.resolve("var/dev").toAbsolutePath().normalize();
        for (Setting setting : new Setting[] {Setting.TLS_CERTIFICATE, Setting.TLS_PRIVATE_KEY, Setting.WEBADMIN_JWT_PUBLIC_KEY,
            Setting.TRUST_ROOTS, Setting.TRUST_LIST}) {
            if (settings.get(setting).startsWith("https://")) {
                continue;
            }
            Path path = workingDirectory.resolve(settings.get(setting)).toAbsolutePath().normalize();
            if (path.startsWith(devDirectory)) {
                throw new InvalidSettingException(setting, "points to development material under var/dev; production refuses it");
            }
            if (!Files.isReadable(path)) {
                throw new InvalidSettingException(setting, "file " + path + " is not readable");
            }
        }
        Path chain = workingDirectory.resolve(settings.get(Setting.TLS_CERTIFICATE));
        try (InputStream in = Files.newInputStream(chain)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                X509Certificate x509 = (X509Certificate) certificate;
                if (x509.getSubjectX500Principal().getName().contains(DevelopmentPki.DEVELOPMENT_MARKER)
                    || x509.getIssuerX500Principal().getName().contains(DevelopmentPki.DEVELOPMENT_MARKER)) {
                    throw new InvalidSettingException(Setting.TLS_CERTIFICATE,
                        "is a development certificate (" + x509.getSubjectX500Principal() + "); production refuses it");
                }
            }
        } catch (IOException | CertificateException e) {
            throw new InvalidSettingException(Setting.TLS_CERTIFICATE, "cannot be read as PEM certificates: " + e.getMessage());
        }
    }

    /** The identity provider's JWKS and introspection endpoints must be {@code https://} URLs. */
    public static void checkIssuerEndpoints(ServerSettings settings) {
        for (Setting setting : new Setting[] {Setting.OIDC_JWKS_URL, Setting.OIDC_INTROSPECTION_URL}) {
            String url = settings.get(setting).trim();
            if (!url.isEmpty() && !url.toLowerCase(Locale.ROOT).startsWith("https://")) {
                throw new InvalidSettingException(setting, "must be an https:// URL in production (got '" + url + "')");
            }
        }
    }

    public static void checkNoDemoData(DataSource dataSource) throws SQLException {
        // the demo operator domain and the development patient domain (demo citizens)
        for (String demo : new String[] {DemoData.DOMAIN, ServerSettings.DEVELOPMENT_PATIENT_DOMAIN}) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                if (tableExists(statement, "james.james_domain")
                    && count(statement, "SELECT count(*) FROM james.james_domain WHERE lower(domain_name) = '" + demo + "'") > 0) {
                    throw new IllegalStateException("Production mode refuses to start: the demo domain " + demo
                        + " exists in the database (remove it and its mailboxes first)");
                }
                if (tableExists(statement, "james.james_user")
                    && count(statement, "SELECT count(*) FROM james.james_user WHERE lower(user_name) LIKE '%@" + demo + "'") > 0) {
                    throw new IllegalStateException("Production mode refuses to start: demo mailboxes of " + demo
                        + " exist in the database");
                }
            }
        }
    }

    private static boolean tableExists(Statement statement, String table) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    private static long count(Statement statement, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
