package fr.mssante.operator.extensions.database;

import javax.sql.DataSource;

import com.google.inject.AbstractModule;

import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.database.MssDatabase;

/**
 * Makes the store of record available to James's wiring ({@link DatabaseSettings}, for JPA) and to our extensions
 * ({@link DataSource} of schema {@code mss}). The database is opened and migrated before the Guice server starts.
 */
public class MssDatabaseModule extends AbstractModule {
    private final DatabaseSettings settings;
    private final MssDatabase database;

    public MssDatabaseModule(DatabaseSettings settings, MssDatabase database) {
        this.settings = settings;
        this.database = database;
    }

    @Override
    protected void configure() {
        bind(DatabaseSettings.class).toInstance(settings);
        bind(DataSource.class).toInstance(database.dataSource());
    }
}
