package fr.mssante.operator.dmp.outbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.Closeable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL per test class; {@link #newDatabase()} gives each test its own migrated database. */
final class OutboxDatabase implements Closeable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final EmbeddedPostgres postgres;

    private OutboxDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static OutboxDatabase start() throws IOException {
        return new OutboxDatabase(EmbeddedPostgres.builder().start());
    }

    DataSource newDatabase() throws SQLException {
        String name = "dmp_outbox_test_" + COUNTER.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        DataSource ds = postgres.getDatabase("postgres", name);
        DmpOutboxDatabase.migrate(ds);
        return ds;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
