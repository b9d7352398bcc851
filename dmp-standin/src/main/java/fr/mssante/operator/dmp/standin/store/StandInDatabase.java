package fr.mssante.operator.dmp.standin.store;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/** Schema {@code dmp_standin}: its own Flyway history and location ({@code classpath:db/migration/dmp_standin}). */
public final class StandInDatabase {
    public static final String SCHEMA = "dmp_standin";
    public static final String LOCATION = "classpath:db/migration/dmp_standin";

    private StandInDatabase() {
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
