package fr.mssante.operator.server.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.server.supervision.RunRecords;

/**
 * The development default store: one PostgreSQL server (io.zonky embedded binaries) with its data under
 * {@code <dataDir>/postgres}, listening on loopback only, password (SCRAM-SHA-256) logins only.
 * <ul>
 *   <li>The superuser {@code postgres} has a generated password in {@code <dataDir>/postgres.superuser.password}
 *   (mode 600); this class uses it only to bootstrap: roles, the database, privileges.</li>
 *   <li>The server, the DMP processes and {@code ./mss directory} log in as {@code mss}, a role that is no superuser,
 *   cannot create roles or databases, does not own the database (owned by {@code postgres}) and has only
 *   {@code CONNECT}, {@code CREATE} (its own schemas) and {@code TEMPORARY} on it. Its password is in
 *   {@code <dataDir>/postgres.password} (mode 600).</li>
 * </ul>
 * A data directory initialised by an older version (trust authentication) is converted at the next start.
 *
 * <p>PostgreSQL runs as its own process: after a {@code kill -9} of the JVM it keeps running. The next start finds its
 * {@code postmaster.pid} and stops it with a <em>fast</em> shutdown (SIGINT: sessions are disconnected, nothing
 * committed is lost), then <em>immediate</em> (SIGQUIT) and SIGKILL if it does not stop in time, before starting a
 * fresh one on the same data.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String DATABASE = "mss";
    private static final String ROLE = "mss";
    private static final String SUPERUSER = "postgres";
    static final String ROLE_PASSWORD_FILE = "postgres.password";
    static final String SUPERUSER_PASSWORD_FILE = "postgres.superuser.password";
    private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(15);
    private static final Duration IMMEDIATE_SHUTDOWN_WAIT = Duration.ofSeconds(10);
    /** Loopback TCP only (Unix sockets are disabled), SCRAM-SHA-256 for everyone. */
    static final String PG_HBA = """
        # Written by the MSS server at every start (EmbeddedDatabase): password (SCRAM-SHA-256) logins only.
        local   all   all                 scram-sha-256
        host    all   all   127.0.0.1/32  scram-sha-256
        host    all   all   ::1/128       scram-sha-256
        """;

    private static volatile boolean stopAtJvmExit = true;

    private final EmbeddedPostgres postgres;
    private final DatabaseSettings settings;
    private final Path pgData;

    private EmbeddedDatabase(EmbeddedPostgres postgres, DatabaseSettings settings, Path pgData) {
        this.postgres = postgres;
        this.settings = settings;
        this.pgData = pgData;
    }

    /**
     * Whether PostgreSQL is stopped by a JVM shutdown hook of its own (the default, for tests). The server turns it off:
     * its own shutdown hook stops PostgreSQL last, after James and the spooler (hooks run concurrently, so PostgreSQL's
     * own hook would pull the database from under a server still stopping).
     */
    public static void stopAtJvmExit(boolean enabled) {
        stopAtJvmExit = enabled;
    }

    /** {@link #start(Path, int, String)} with {@code synchronous_commit=on}. */
    public static EmbeddedDatabase start(Path dataDir, int port) throws IOException, SQLException {
        return start(dataDir, port, "on");
    }

    /**
     * @param port 0 chooses a free port (tests)
     * @param synchronousCommit PostgreSQL's {@code synchronous_commit} ({@code on}, {@code off}, {@code local}):
     *     io.zonky starts the server with {@code off} unless told otherwise (a power loss may then forget commits
     *     the server had already acknowledged: mails answered 250 and delivered, audit rows); MSS_DB_SYNCHRONOUS_COMMIT
     */
    public static EmbeddedDatabase start(Path dataDir, int port, String synchronousCommit) throws IOException, SQLException {
        Path pgData = dataDir.resolve("postgres");
        Files.createDirectories(dataDir);
        stopLeftOver(pgData);
        String superuserPassword = secret(dataDir.resolve(SUPERUSER_PASSWORD_FILE));
        String rolePassword = secret(dataDir.resolve(ROLE_PASSWORD_FILE));
        boolean fresh = !Files.exists(pgData.resolve("postgresql.conf"));
        Path passwordForInitdb = dataDir.resolve(".initdb.pw");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
            .setDataDirectory(pgData)
            .setCleanDataDirectory(false)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("password_encryption", "scram-sha-256")
            // a command-line option: wins over postgresql.conf and ALTER SYSTEM, as zonky's own "off" would
            .setServerConfig("synchronous_commit", synchronousCommit)
            // zonky starts the postmaster with -F (fsync=off: a power loss can corrupt the database); the -c options
            // come after it on the command line, and the later wins. Never configurable.
            .setServerConfig("fsync", "on")
            // zonky's own readiness check and getPostgresDatabase() log in as the superuser
            .setConnectConfig("password", superuserPassword)
            .setRegisterShutdownHook(stopAtJvmExit)
            .setPGStartupWait(Duration.ofSeconds(60));
        if (fresh) {
            // zonky passes its "locale" options to initdb as --key=value after its own "-A trust": the later wins
            writeSecretFile(passwordForInitdb, superuserPassword);
            builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordForInitdb.toString());
        }
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } finally {
            Files.deleteIfExists(passwordForInitdb);
        }
        try {
            try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
                requirePasswordLogins(connection, superuserPassword, pgData);
                ensureRoleAndDatabase(connection, rolePassword);
            }
            try (Connection connection = postgres.getDatabase(SUPERUSER, DATABASE).getConnection()) {
                restrictDatabase(connection);
            }
        } catch (SQLException | IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        DatabaseSettings settings = new DatabaseSettings(
            "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE, ROLE, rolePassword, true);
        LOGGER.info("Embedded PostgreSQL ready on 127.0.0.1:{} (data in {}, password logins only, synchronous_commit={})",
            postgres.getPort(), pgData, synchronousCommit);
        return new EmbeddedDatabase(postgres, settings, pgData);
    }

    /**
     * Sets the superuser's password and replaces pg_hba.conf by {@link #PG_HBA}, then reloads: a data directory made by
     * an older version (trust for everyone on loopback) is converted; a current one is confirmed.
     */
    private static void requirePasswordLogins(Connection connection, String superuserPassword, Path pgData)
            throws SQLException, IOException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + superuserPassword + "'");
            Path hba = pgData.resolve("pg_hba.conf");
            if (!PG_HBA.equals(Files.readString(hba, StandardCharsets.UTF_8))) {
                Files.writeString(hba, PG_HBA, StandardCharsets.UTF_8);
                statement.execute("SELECT pg_reload_conf()");
                LOGGER.info("Embedded PostgreSQL: password (SCRAM-SHA-256) logins required from now on");
            }
        }
    }

    private static void ensureRoleAndDatabase(Connection connection, String password) throws SQLException {
        String attributes = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", ROLE)) {
                statement.execute("CREATE ROLE " + ROLE + attributes + " PASSWORD '" + password + "'");
            } else {
                statement.execute("ALTER ROLE " + ROLE + attributes + " PASSWORD '" + password + "'");
            }
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + SUPERUSER);
            } else {
                // older versions made mss the owner of the database (and so of its public schema)
                statement.execute("ALTER DATABASE " + DATABASE + " OWNER TO " + SUPERUSER);
            }
            statement.execute("REVOKE ALL ON DATABASE " + DATABASE + " FROM PUBLIC");
            statement.execute("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " + DATABASE + " TO " + ROLE);
        }
    }

    /** In the database itself: nobody but the superuser creates objects in {@code public}. */
    private static void restrictDatabase(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
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

    /**
     * The password kept in {@code file} (mode 600), generated on first use. It contains only base64url characters, so
     * it is safe inside a SQL literal. An existing file readable by others is made private again.
     */
    static String secret(Path file) throws IOException {
        if (Files.exists(file)) {
            restrictToOwner(file);
            String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!password.matches("[A-Za-z0-9_-]{16,}")) {
                throw new IOException(file + " does not hold a generated password: remove it only with the data directory");
            }
            return password;
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        writeSecretFile(file, password);
        return password;
    }

    /** Created with mode 600 from the start (no window in which the umask decides). */
    private static void writeSecretFile(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("concurrent creation of " + file, e);
        }
        Files.writeString(file, content + "\n", StandardCharsets.US_ASCII);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
            if (!Files.getPosixFilePermissions(file).equals(owner)) {
                Files.setPosixFilePermissions(file, owner);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    /**
     * A postmaster left running by a killed JVM holds the data directory (and its DMP clients' connections may still be
     * open): stop it with a fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL. A postmaster that is a
     * zombie (exited, not reaped by its parent) is dead: its stale {@code postmaster.pid} is removed.
     */
    static void stopLeftOver(Path pgData) throws IOException {
        Optional<Long> recorded = postmasterPid(pgData);
        if (recorded.isEmpty()) {
            return;
        }
        long pid = recorded.get();
        boolean ours = RunRecords.commandLine(pid).map(command -> command.contains("postgres")
            && command.contains(pgData.toString())).orElse(false);
        if (!ours || !RunRecords.running(pid)) {
            // dead, a zombie (exited, not reaped by its parent) or a PID since reused by another program: PostgreSQL
            // would refuse to start while that PID exists, yet nothing holds the data directory
            LOGGER.warn("Removing the stale postmaster.pid of PostgreSQL process {} (not running)", pid);
            Files.deleteIfExists(pgData.resolve("postmaster.pid"));
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = handle.get();
        List<ProcessHandle> backends = postmaster.children().toList();
        LOGGER.warn("Stopping PostgreSQL process {} left over from an unclean stop (fast shutdown)", pid);
        if (signal(pid, "INT") && stopped(pid, FAST_SHUTDOWN_WAIT)) {
            return;
        }
        LOGGER.warn("PostgreSQL process {} did not stop in {} s; immediate shutdown", pid, FAST_SHUTDOWN_WAIT.toSeconds());
        if (signal(pid, "QUIT") && stopped(pid, IMMEDIATE_SHUTDOWN_WAIT)) {
            return;
        }
        LOGGER.warn("PostgreSQL process {} did not stop; killing it and its {} children", pid, backends.size());
        postmaster.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        stopped(pid, IMMEDIATE_SHUTDOWN_WAIT);
    }

    private static Optional<Long> postmasterPid(Path pgData) {
        try {
            return Files.readAllLines(pgData.resolve("postmaster.pid")).stream().findFirst().map(String::trim).map(Long::parseLong);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** PostgreSQL's shutdown modes are chosen by signal, which the JDK cannot send: kill(1) does. */
    private static boolean signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            LOGGER.warn("Cannot send SIG{} to {}: {}", signal, pid, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean stopped(long pid, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos(); // a timeout, not a date: not the server's clock
        while (RunRecords.running(pid)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(100); // waiting for another process to exit, not a test synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    public DatabaseSettings settings() {
        return settings;
    }

    /** The running postmaster, as recorded in its {@code postmaster.pid}. */
    public OptionalLong postmasterPid() {
        return postmasterPid(pgData).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** A string that the postmaster's command line contains (its data directory). */
    public String postmasterMarker() {
        return pgData.toString();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
