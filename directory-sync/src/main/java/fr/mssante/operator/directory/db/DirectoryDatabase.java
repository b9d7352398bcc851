package fr.mssante.operator.directory.db;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/** Creates or upgrades the {@code directory} schema; its own Flyway history, separate from {@code mss} and James. */
public final class DirectoryDatabase {

    public static final String SCHEMA = "directory";
    public static final String LOCATION = "classpath:db/migration/directory";

    private DirectoryDatabase() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
            .dataSource(dataSource)
            .schemas(SCHEMA)
            .createSchemas(true)
            .locations(LOCATION)
            .load()
            .migrate();
    }
}
