package fr.mssante.operator.extensions.directory;

import javax.inject.Singleton;
import javax.sql.DataSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import fr.mssante.operator.directory.lookup.DirectoryLookup;

/** The national directory lookups for the pipeline (schema {@code directory} of the shared database). */
public class DirectoryModule extends AbstractModule {
    @Provides
    @Singleton
    DirectoryLookup directoryLookup(DataSource dataSource) {
        return new DirectoryLookup(dataSource);
    }
}
