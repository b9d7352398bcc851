package fr.mssante.operator.database;

import java.util.Objects;

/**
 * Where the store of record lives: one PostgreSQL database shared by James (JPA, schema {@code james})
 * and our own tables (JDBC + Flyway, schema {@code mss}).
 *
 * @param url      JDBC URL without schema parameters, e.g. {@code jdbc:postgresql://127.0.0.1:15432/mss}
 * @param user     database user
 * @param password database password (never logged)
 * @param embedded whether the server started this database itself (development default)
 */
public record DatabaseSettings(String url, String user, String password, boolean embedded) {
    public static final String JAMES_SCHEMA = "james";
    public static final String MSS_SCHEMA = "mss";

    public DatabaseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("Only PostgreSQL is supported, got a JDBC URL starting with "
                + url.substring(0, Math.min(url.length(), 16)));
        }
    }

    /** The JDBC URL with {@code currentSchema} set, so unqualified names land in that schema. */
    public String urlForSchema(String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", embedded=" + embedded + "]";
    }
}
