package fr.mssante.operator.extensions.audit;

import java.time.Clock;

import javax.inject.Singleton;
import javax.sql.DataSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.AuditRetention;
import fr.mssante.operator.audit.PatientAddresses;
import fr.mssante.operator.audit.metrics.MessageMetrics;

/**
 * Wires the audit trail: one {@link AuditJournal} (patient addresses hashed with the operator's key) that every
 * writer goes through, the in-memory {@link MessageMetrics} it feeds, and the retention job. Needs an
 * {@link AuditSettings} binding (the server binds it from MSS_AUDIT_*) and the server's {@link Clock}.
 */
public class AuditModule extends AbstractModule {
    @Provides
    @Singleton
    MessageMetrics messageMetrics() {
        return new MessageMetrics();
    }

    @Provides
    @Singleton
    AuditJournal auditJournal(DataSource dataSource, AuditSettings settings, MessageMetrics metrics, Clock clock) {
        AuditJournal journal = new AuditJournal(dataSource, PatientAddresses.withBase64Key(settings.hashKeyBase64()),
            clock);
        journal.onAppend(metrics::audited);
        return journal;
    }

    @Provides
    @Singleton
    AuditRetention auditRetention(AuditJournal journal, AuditSettings settings, Clock clock) {
        return new AuditRetention(journal, settings.retention(), clock);
    }
}
