package fr.mssante.operator.extensions.dmp;

import java.time.Clock;

import javax.inject.Singleton;
import javax.sql.DataSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.DmpOutboxDatabase;
import fr.mssante.operator.dmp.outbox.RetryPolicy;
import fr.mssante.operator.documents.filing.AnalyzedDocumentReader;
import fr.mssante.operator.documents.filing.DmpFilingPolicy;
import fr.mssante.operator.documents.filing.HealthDocumentReader;

/** The DMP outbox (schema {@code dmp}, migrated here) and the filing policy, for the mailets and WebAdmin. */
public class DmpModule extends AbstractModule {
    private final fr.mssante.operator.documents.ins.Environment insEnvironment;

    /** @param insEnvironment which INS OIDs are real here (test and demo INS are refused in production) */
    public DmpModule(fr.mssante.operator.documents.ins.Environment insEnvironment) {
        this.insEnvironment = insEnvironment;
    }

    @Override
    protected void configure() {
        bind(DmpOutcomeNotifier.class).in(com.google.inject.Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    HealthDocumentReader documentReader(Clock clock) {
        return new AnalyzedDocumentReader(new fr.mssante.operator.documents.analysis.HealthDocumentAnalyzer(
            fr.mssante.operator.documents.analysis.AnalyzerSettings.defaults(insEnvironment)), clock);
    }

    @Provides
    @Singleton
    DmpFilingPolicy filingPolicy(DataSource dataSource) {
        return new DmpFilingPolicy(dataSource);
    }

    @com.google.inject.multibindings.ProvidesIntoSet
    org.apache.james.utils.InitializationOperation startNotifier(DmpOutcomeNotifier notifier) {
        return org.apache.james.utils.InitilizationOperationBuilder.forClass(DmpOutcomeNotifier.class).init(notifier::start);
    }

    @Provides
    @Singleton
    DmpOutbox outbox(DataSource dataSource, Clock clock) {
        DmpOutboxDatabase.migrate(dataSource);
        return new DmpOutbox(dataSource, clock, RetryPolicy.DEFAULT);
    }
}
