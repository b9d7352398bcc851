package fr.mssante.operator.extensions.trustspace;

import java.io.IOException;
import java.time.Clock;

import javax.inject.Singleton;
import javax.sql.DataSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.ProvidesIntoSet;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import fr.mssante.operator.trust.space.TrustSpace;
import fr.mssante.operator.trust.space.TrustSpaceSettings;

/**
 * The trust space in the server: one {@link TrustSpace} built from the bound {@link TrustSpaceSettings}, started
 * (stored list, first refresh, schedule) during server initialisation.
 */
public class TrustSpaceModule extends AbstractModule {
    private final TrustSpaceSettings settings;

    public TrustSpaceModule(TrustSpaceSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(TrustSpaceSettings.class).toInstance(settings);
    }

    @Provides
    @Singleton
    TrustSpace trustSpace(TrustSpaceSettings settings, DataSource dataSource, Clock clock) throws IOException {
        return new TrustSpace(settings, dataSource, clock);
    }

    @ProvidesIntoSet
    InitializationOperation startTrustSpace(TrustSpace trustSpace) {
        return InitilizationOperationBuilder.forClass(TrustSpaceStartup.class).init(trustSpace::start);
    }
}
