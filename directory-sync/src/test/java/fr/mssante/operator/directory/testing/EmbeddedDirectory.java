package fr.mssante.operator.directory.testing;

import fr.mssante.operator.directory.db.DirectoryDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.Closeable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL per test class; {@link #newDatabase()} gives each test its own migrated database. */
public final class EmbeddedDirectory implements Closeable {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final EmbeddedPostgres postgres;

    private EmbeddedDirectory(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedDirectory start() throws IOException {
        return new EmbeddedDirectory(EmbeddedPostgres.builder().start());
    }

    public DataSource newDatabase() throws SQLException {
        return postgres.getDatabase("postgres", createDatabase());
    }

    /** A new migrated database; returns its JDBC URL (user postgres, no password). */
    public String newDatabaseUrl() throws SQLException {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + createDatabase();
    }

    private String createDatabase() throws SQLException {
        String name = "directory_test_" + COUNTER.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        DirectoryDatabase.migrate(postgres.getDatabase("postgres", name));
        return name;
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
