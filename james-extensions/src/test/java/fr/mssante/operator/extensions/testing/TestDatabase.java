package fr.mssante.operator.extensions.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

import javax.sql.DataSource;

import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.database.MssDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One embedded PostgreSQL with every migration of the classpath ({@code db/migration/mss}), shared by the mailet
 * tests of this JVM and stopped when it exits. Tests keep apart by using addresses of their own.
 */
public final class TestDatabase {
    private static EmbeddedPostgres postgres;
    private static MssDatabase database;

    private TestDatabase() {
    }

    public static synchronized DataSource dataSource() {
        if (database == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            database = MssDatabase.open(new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true), 4);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                database.close();
                try {
                    postgres.close();
                } catch (IOException e) {
                    // the JVM is exiting
                }
            }));
        }
        return database.dataSource();
    }
}
