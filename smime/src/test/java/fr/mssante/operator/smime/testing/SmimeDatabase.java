package fr.mssante.operator.smime.testing;

import java.io.Closeable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** One embedded PostgreSQL per test class; each {@link #newDatabase()} is migrated with our mss migrations. */
public final class SmimeDatabase implements Closeable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final EmbeddedPostgres postgres;

    private SmimeDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static SmimeDatabase start() throws IOException {
        return new SmimeDatabase(EmbeddedPostgres.builder().start());
    }

    public DataSource newDatabase() throws SQLException {
        String name = "smime_test_" + COUNTER.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        DataSource ds = postgres.getDatabase("postgres", name);
        Flyway.configure().dataSource(ds).schemas("mss").locations("classpath:db/migration/mss").load().migrate();
        return ds;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
