package fr.mssante.operator.server.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.extensions.database.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The development default store: one PostgreSQL server (io.zonky embedded binaries) with its data under
 * {@code <dataDir>/postgres}, listening on loopback only. A database {@code mss} owned by a role {@code mss}
 * whose password is generated on first start and kept in {@code <dataDir>/postgres.password} (mode 600).
 *
 * <p>PostgreSQL runs as its own process: after a {@code kill -9} of the JVM it keeps running. The next start finds its
 * {@code postmaster.pid}, asks it to stop (it has nothing uncommitted to lose) and starts a fresh one on the same data.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String DATABASE = "mss";
    private static final String ROLE = "mss";

    private final EmbeddedPostgres postgres;
    private final DatabaseSettings settings;

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseSettings settings) {
        this.postgres = postgres;
        this.settings = settings;
    }

    /** @param port 0 chooses a free port (tests) */
    public static EmbeddedDatabase start(Path dataDir, int port) throws IOException, SQLException {
        Path pgData = dataDir.resolve("postgres");
        Files.createDirectories(dataDir);
        stopOrphan(pgData);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
            .setDataDirectory(pgData)
            .setCleanDataDirectory(false)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("unix_socket_directories", "")
            .setPGStartupWait(Duration.ofSeconds(60));
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        String password = rolePassword(dataDir.resolve("postgres.password"));
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            ensureRoleAndDatabase(connection, password);
        }
        DatabaseSettings settings = new DatabaseSettings(
            "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE, ROLE, password, true);
        LOGGER.info("Embedded PostgreSQL ready on 127.0.0.1:{} (data in {})", postgres.getPort(), pgData);
        return new EmbeddedDatabase(postgres, settings);
    }

    private static void ensureRoleAndDatabase(Connection connection, String password) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", ROLE)) {
                statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + password + "'");
            } else {
                statement.execute("ALTER ROLE " + ROLE + " PASSWORD '" + password + "'");
            }
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
            }
        }
    }

    private static boolean exists(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The generated password contains only base64url characters, so it is safe inside a SQL literal. */
    private static String rolePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.writeString(file, password + "\n", StandardCharsets.US_ASCII);
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
        return password;
    }

    /** A postmaster left running by a killed JVM holds the data directory: stop it before starting again. */
    private static void stopOrphan(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan;
        try {
            orphan = Files.readAllLines(pidFile).stream().findFirst()
                .map(String::trim).map(Long::parseLong).flatMap(ProcessHandle::of);
        } catch (IOException | NumberFormatException e) {
            return;
        }
        orphan.filter(ProcessHandle::isAlive)
            .filter(process -> process.info().command().map(command -> command.contains("postgres")).orElse(false))
            .ifPresent(process -> {
                LOGGER.warn("Stopping PostgreSQL process {} left over from an unclean stop", process.pid());
                process.destroy();
                try {
                    process.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOGGER.warn("PostgreSQL process {} did not stop in 60 s; killing it", process.pid());
                    process.destroyForcibly();
                }
            });
    }

    public DatabaseSettings settings() {
        return settings;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
