package fr.mssante.operator.server;

import javax.inject.Inject;

import org.apache.james.utils.GuiceProbe;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.AuditRetention;

/** The audit trail as wired in the server: its journal and retention job (scheduled by {@link MssRuntime}, tests). */
public class AuditProbe implements GuiceProbe {
    private final AuditJournal journal;
    private final AuditRetention retention;

    @Inject
    public AuditProbe(AuditJournal journal, AuditRetention retention) {
        this.journal = journal;
        this.retention = retention;
    }

    public AuditJournal journal() {
        return journal;
    }

    public AuditRetention retention() {
        return retention;
    }
}
