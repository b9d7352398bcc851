package fr.mssante.operator.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our own tables: a small JDBC pool on the shared PostgreSQL database, and the versioned Flyway migrations
 * (classpath {@code db/migration/mss}) that create and evolve schema {@code mss}. James's JPA tables live in
 * schema {@code james}, which this class only creates (OpenJPA builds the tables inside it).
 */
public final class MssDatabase implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(MssDatabase.class);

    private final HikariDataSource dataSource;

    private MssDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Opens the pool, creates the James schema if needed and applies pending migrations. Flyway holds one connection
     * for its lock and migrates on another: a pool of one would wait forever, hence at least two.
     */
    public static MssDatabase open(DatabaseSettings settings, int maxPoolSize) {
        if (maxPoolSize < 2) {
            throw new IllegalArgumentException("The pool needs at least 2 connections (Flyway's lock + migration), got "
                + maxPoolSize);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.urlForSchema(DatabaseSettings.MSS_SCHEMA));
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(1);
        config.setPoolName("mss");
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            createSchema(dataSource, DatabaseSettings.JAMES_SCHEMA);
            migrate(dataSource);
            return new MssDatabase(dataSource);
        } catch (RuntimeException | SQLException e) {
            dataSource.close();
            throw new IllegalStateException("Cannot prepare the database " + settings.url() + ": " + e.getMessage(), e);
        }
    }

    private static void createSchema(DataSource dataSource, String schema) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
    }

    private static void migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure()
            .dataSource(dataSource)
            .schemas(DatabaseSettings.MSS_SCHEMA)
            .createSchemas(true)
            .locations("classpath:db/migration/mss")
            // several modules contribute independent tables: a module's migration dated before another module's
            // latest one must still apply (ADR 0004)
            .outOfOrder(true)
            .load()
            .migrate();
        LOGGER.info("Schema {} at version {} ({} migration(s) applied)",
            DatabaseSettings.MSS_SCHEMA, result.targetSchemaVersion, result.migrationsExecuted);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
