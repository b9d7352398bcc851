package fr.mssante.operator.extensions.audit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import javax.sql.DataSource;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.PatientAddresses;

/** An audit journal for tests: a fixed, test-only hashing key. */
public final class TestJournals {
    public static final byte[] TEST_KEY = "test-only-audit-key-32-bytes-long!".getBytes(StandardCharsets.US_ASCII);

    private TestJournals() {
    }

    public static AuditJournal of(DataSource dataSource) {
        return of(dataSource, Clock.systemUTC());
    }

    public static AuditJournal of(DataSource dataSource, Clock clock) {
        return new AuditJournal(dataSource, PatientAddresses.withKey(TEST_KEY), clock);
    }

    public static MessageEventLog log(DataSource dataSource) {
        return new MessageEventLog(dataSource, of(dataSource));
    }

    /** Rows stamped by {@code clock}; delivery latencies counted into {@code metrics}. */
    public static MessageEventLog log(DataSource dataSource, Clock clock, fr.mssante.operator.audit.metrics.MessageMetrics metrics) {
        return new MessageEventLog(dataSource, of(dataSource, clock), metrics);
    }
}
