package fr.mssante.operator.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class DatabaseOutageTest {
    /** What OpenJPA, JPA and the mailbox layer do: wrap the JDBC exception, sometimes twice. */
    private static Throwable wrapped(Throwable jdbc) {
        return new IllegalStateException("Cannot store the message", new RuntimeException("<openjpa-3.2.2> fatal store error", jdbc));
    }

    private static List<Throwable> outages() {
        return List.of(
            new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 30000ms."),
            new PSQLException("Connection to 127.0.0.1:5432 refused.", PSQLState.CONNECTION_UNABLE_TO_CONNECT),
            new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE),
            new PSQLException("This connection has been closed.", PSQLState.CONNECTION_DOES_NOT_EXIST),
            new SQLException("FATAL: terminating connection due to administrator command", "57P01"),
            new SQLException("FATAL: the database system is shutting down", "57P03"));
    }

    private static List<Throwable> realFailures() {
        return List.of(
            new SQLException("duplicate key value violates unique constraint", "23505"),
            new SQLException("value too long for type character varying(200)", "22001"),
            new SQLException("relation does not exist", "42P01"),
            new IOException("Stream closed"),
            new IllegalArgumentException("bad address"));
    }

    @Test
    void aConnectionFailureAnywhereInTheCauseChainIsAnOutage() {
        for (Throwable outage : outages()) {
            assertThat(DatabaseOutage.isTransient(outage)).as(outage.toString()).isTrue();
            assertThat(DatabaseOutage.isTransient(wrapped(outage))).as("wrapped " + outage).isTrue();
        }
        SQLException batch = new SQLException("Batch entry 0 failed", "XX000");
        batch.setNextException(new PSQLException("An I/O error occurred", PSQLState.CONNECTION_FAILURE));
        assertThat(DatabaseOutage.isTransient(batch)).isTrue();
    }

    @Test
    void otherFailuresAreNotOutages() {
        for (Throwable failure : realFailures()) {
            assertThat(DatabaseOutage.isTransient(failure)).as(failure.toString()).isFalse();
            assertThat(DatabaseOutage.isTransient(wrapped(failure))).as("wrapped " + failure).isFalse();
        }
        assertThat(DatabaseOutage.isTransient((Throwable) null)).isFalse();
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.addSuppressed(second);
        assertThat(DatabaseOutage.isTransient(second)).isFalse();
    }

    @Test
    void thePrintedStackTraceJamesKeepsIsClassifiedTheSameWay() {
        for (Throwable outage : outages()) {
            assertThat(DatabaseOutage.isTransient(printed(wrapped(outage)))).as(outage.toString()).isTrue();
        }
        for (Throwable failure : realFailures()) {
            assertThat(DatabaseOutage.isTransient(printed(wrapped(failure)))).as(failure.toString()).isFalse();
        }
        assertThat(DatabaseOutage.isTransient((String) null)).isFalse();
    }

    private static String printed(Throwable failure) {
        StringWriter out = new StringWriter();
        failure.printStackTrace(new PrintWriter(out, true));
        return "Exception calling LocalDelivery: " + failure.getMessage() + "\n" + out;
    }
}
