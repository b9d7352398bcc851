package fr.mssante.operator.dmp.outbox;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates or upgrades schema {@code dmp} (its own Flyway history {@code dmp.flyway_schema_history}, location
 * {@code classpath:db/migration/dmp}). Both the mail server and the connector may call it at start: Flyway takes a
 * lock, so concurrent starts are safe.
 */
public final class DmpOutboxDatabase {
    public static final String SCHEMA = "dmp";
    public static final String LOCATION = "classpath:db/migration/dmp";
    private static final Logger LOGGER = LoggerFactory.getLogger(DmpOutboxDatabase.class);

    private DmpOutboxDatabase() {
    }

    public static void migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
            .dataSource(dataSource)
            .schemas(SCHEMA)
            .createSchemas(true)
            .locations(LOCATION)
            .load()
            .migrate();
        LOGGER.info("Schema {} at version {} ({} migration(s) applied)", SCHEMA, result.targetSchemaVersion,
            result.migrationsExecuted);
    }
}
