package fr.mssante.operator.extensions.directory;

import javax.inject.Singleton;
import javax.sql.DataSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.source.DownloadLimits;

/** The national directory lookups for the pipeline (schema {@code directory} of the shared database). */
public class DirectoryModule extends AbstractModule {
    /** The default bounds of directory downloads; the server overrides them with its setting. */
    @Override
    protected void configure() {
        bind(DownloadLimits.class).toInstance(DownloadLimits.DEFAULT);
    }

    @Provides
    @Singleton
    DirectoryLookup directoryLookup(DataSource dataSource) {
        return new DirectoryLookup(dataSource);
    }
}
