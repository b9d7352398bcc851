package fr.mssante.operator.server.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.server.supervision.RunRecords;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The embedded PostgreSQL (issue 12, defects 8 and 9b): password logins only, a least-privileged {@code mss} role,
 * secrets readable by their owner only, older trust-initialised data directories converted, and a PostgreSQL left over
 * by a killed JVM stopped with a fast shutdown even while clients keep connections open.
 */
class EmbeddedDatabaseTest {
    private static final String ROLE_PASSWORD_FILE = "postgres.password";
    private static final String SUPERUSER_PASSWORD_FILE = "postgres.superuser.password";
    @TempDir
    Path dataDir;

    @Test
    void onlyPasswordLoginsAndTheServerRoleIsLeastPrivileged() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0)) {
            DatabaseSettings settings = database.settings();
            assertThatThrownBy(() -> connect(settings.url(), "postgres", null)).isInstanceOf(SQLException.class)
                .hasMessageContaining("password");
            String superuserPassword = Files.readString(dataDir.resolve(SUPERUSER_PASSWORD_FILE)).trim();
            assertThatThrownBy(() -> connect(settings.url(), "postgres", "not-the-password")).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> connect(settings.url(), "mss", null)).isInstanceOf(SQLException.class);
            assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf")))
                .doesNotContainPattern("(?m)^[^#]*\\btrust\\b").contains("scram-sha-256");
            for (String secret : new String[] {ROLE_PASSWORD_FILE, SUPERUSER_PASSWORD_FILE}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(secret))))
                    .isEqualTo("rw-------");
            }
            assertThat(settings.user()).isEqualTo("mss");
            assertThat(settings.password()).isEqualTo(Files.readString(dataDir.resolve(ROLE_PASSWORD_FILE)).trim())
                .isNotEqualTo(superuserPassword);

            try (Connection mss = connect(settings.url(), settings.user(), settings.password());
                 Statement statement = mss.createStatement()) {
                assertThat(row(statement, "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls"
                    + " FROM pg_roles WHERE rolname = current_user")).isEqualTo("false,false,false,false,false");
                assertThat(row(statement, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                    .isEqualTo("postgres");
                // its own schemas: created and owned by mss
                statement.execute("CREATE SCHEMA ours");
                statement.execute("CREATE TABLE ours.t (id int)");
                assertThat(row(statement, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'ours'"))
                    .isEqualTo("mss");
                // nothing else
                assertThatThrownBy(() -> statement.execute("CREATE TABLE public.t (id int)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> statement.execute("CREATE ROLE intruder LOGIN")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> statement.execute("CREATE DATABASE other")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> statement.executeQuery("SELECT rolpassword FROM pg_authid")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
                assertThatThrownBy(() -> statement.execute("COPY (SELECT 1) TO PROGRAM 'true'")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            }
            try (Connection superuser = connect(settings.url(), "postgres", superuserPassword);
                 Statement statement = superuser.createStatement()) {
                assertThat(row(statement, "SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = 'mss'"))
                    .isEqualTo("SCRAM-SHA-256$");
                assertThat(row(statement, "SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = 'postgres'"))
                    .isEqualTo("SCRAM-SHA-256$");
            }
        }
    }

    @Test
    void aDataDirectoryInitialisedWithTrustIsConverted() throws Exception {
        // what earlier versions left: initdb -A trust, the database owned by mss
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "").start();
             Connection connection = old.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE mss LOGIN PASSWORD 'old'");
            statement.execute("CREATE DATABASE mss OWNER mss");
        }
        Files.writeString(dataDir.resolve(ROLE_PASSWORD_FILE), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
        Files.setPosixFilePermissions(dataDir.resolve(ROLE_PASSWORD_FILE), PosixFilePermissions.fromString("rw-r--r--"));

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0)) {
            String url = database.settings().url();
            assertThatThrownBy(() -> connect(url, "postgres", null)).isInstanceOf(SQLException.class);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(ROLE_PASSWORD_FILE))))
                .isEqualTo("rw-------");
            try (Connection mss = connect(url, "mss", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"); Statement statement = mss.createStatement()) {
                assertThat(row(statement, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                    .isEqualTo("postgres");
            }
        }
    }

    @Test
    void aLeftOverPostgresWithClientsStillConnectedIsStoppedFast() throws Exception {
        EmbeddedDatabase leftOver = EmbeddedDatabase.start(dataDir, 0);
        long postmaster = leftOver.postmasterPid().orElseThrow();
        DatabaseSettings settings = leftOver.settings();
        try (Connection client = connect(settings.url(), settings.user(), settings.password());
             Statement statement = client.createStatement()) {
            statement.execute("CREATE SCHEMA kept");
            statement.execute("CREATE TABLE kept.t (id int)");
            statement.execute("INSERT INTO kept.t VALUES (42)");
            // a client (the DMP stand-in of a killed server) still holds its session: a smart shutdown (SIGTERM) would
            // wait for it; the left-over must stop anyway, quickly
            Instant begin = Instant.now();
            EmbeddedDatabase.stopLeftOver(dataDir.resolve("postgres"));
            assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofSeconds(10));
            assertThat(RunRecords.running(postmaster)).isFalse();
        }
        leftOver.close(); // releases zonky's lock file; its pg_ctl stop finds nothing to stop

        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dataDir, 0);
             Connection client = connect(restarted.settings().url(), settings.user(), settings.password());
             Statement statement = client.createStatement()) {
            assertThat(row(statement, "SELECT id FROM kept.t")).isEqualTo("42");
        }
    }

    @Test
    void aStalePostmasterPidOfAnotherProgramIsRemoved() throws Exception {
        Path pgData = dataDir.resolve("postgres");
        Files.createDirectories(pgData);
        // this JVM's PID: a running process, but not a postmaster of this data directory
        Files.writeString(pgData.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + pgData + "\n",
            StandardCharsets.US_ASCII);
        EmbeddedDatabase.stopLeftOver(pgData);
        assertThat(pgData.resolve("postmaster.pid")).doesNotExist();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    /**
     * Power loss (issue 16 #4): io.zonky starts PostgreSQL with synchronous_commit=off (an acknowledged commit may be
     * lost) and -F (fsync=off: the data files may be corrupt after a power loss); ours runs it with fsync on always and
     * synchronous_commit on unless the operator chose otherwise (MSS_DB_SYNCHRONOUS_COMMIT), as the server sees it.
     */
    @Test
    void synchronousCommitIsOnByDefaultAndFollowsTheOperatorsChoice() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0);
             Connection mss = connect(database.settings().url(), database.settings().user(), database.settings().password());
             Statement statement = mss.createStatement()) {
            assertThat(row(statement, "SHOW synchronous_commit")).isEqualTo("on");
            // io.zonky passes -F (fsync=off) to the postmaster: a power loss could corrupt the data files
            assertThat(row(statement, "SHOW fsync")).isEqualTo("on");
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, 0, "off");
             Connection mss = connect(database.settings().url(), database.settings().user(), database.settings().password());
             Statement statement = mss.createStatement()) {
            assertThat(row(statement, "SHOW synchronous_commit")).isEqualTo("off");
            assertThat(row(statement, "SHOW fsync")).as("an operator's choice never turns fsync off").isEqualTo("on");
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }

    private static String row(Statement statement, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            assertThat(rows.next()).as(query).isTrue();
            StringBuilder values = new StringBuilder();
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                values.append(i > 1 ? "," : "").append(rows.getObject(i));
            }
            return values.toString();
        }
    }
}
