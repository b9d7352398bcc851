package fr.mssante.operator.extensions.dmp;

import java.time.Clock;

import javax.inject.Singleton;
import javax.sql.DataSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.DmpOutboxDatabase;
import fr.mssante.operator.dmp.outbox.RetryPolicy;
import fr.mssante.operator.documents.analysis.AnalyzerSettings;
import fr.mssante.operator.documents.analysis.HealthDocumentAnalyzer;
import fr.mssante.operator.documents.filing.AnalyzedDocumentReader;
import fr.mssante.operator.documents.filing.DmpFilingPolicy;
import fr.mssante.operator.documents.filing.HealthDocumentReader;
import fr.mssante.operator.documents.ins.Environment;

/** The DMP outbox (schema {@code dmp}, migrated here) and the filing policy, for the mailets and WebAdmin. */
public class DmpModule extends AbstractModule {
    private final Environment insEnvironment;

    /** @param insEnvironment which INS OIDs are real here (test and demo INS are refused in production) */
    public DmpModule(Environment insEnvironment) {
        this.insEnvironment = insEnvironment;
    }

    @Override
    protected void configure() {
        bind(DmpOutcomeNotifier.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    HealthDocumentReader documentReader(Clock clock) {
        return new AnalyzedDocumentReader(new HealthDocumentAnalyzer(
            AnalyzerSettings.defaults(insEnvironment)), clock);
    }

    @Provides
    @Singleton
    DmpFilingPolicy filingPolicy(DataSource dataSource) {
        return new DmpFilingPolicy(dataSource);
    }

    @ProvidesIntoSet
    InitializationOperation startNotifier(DmpOutcomeNotifier notifier) {
        return InitilizationOperationBuilder.forClass(DmpOutcomeNotifier.class).init(notifier::start);
    }

    @Provides
    @Singleton
    DmpOutbox outbox(DataSource dataSource, Clock clock) {
        DmpOutboxDatabase.migrate(dataSource);
        return new DmpOutbox(dataSource, clock, RetryPolicy.DEFAULT);
    }
}
