package fr.mssante.operator.database;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Whether a failure means "PostgreSQL is unreachable for now" (retry later) rather than "this mail cannot be processed"
 * (error). Transient: {@link SQLTransientConnectionException} (pool timeout), an SQLState of class {@code 08}
 * (connection exception) or {@code 57P0x} (server shutting down / terminated the session / starting up), anywhere in
 * the cause chain (OpenJPA, PersistenceException and MailboxException wrap the JDBC exception).
 */
public final class DatabaseOutage {
    /** What James keeps of a mailet failure is its stack trace as text: the same facts, as they are printed. */
    private static final List<String> TRANSIENT_TEXT = List.of(
        "java.sql.SQLTransientConnectionException",
        "org.postgresql.util.PSQLException: Connection to ",
        "org.postgresql.util.PSQLException: An I/O error occurred",
        "org.postgresql.util.PSQLException: This connection has been closed",
        "terminating connection due to administrator command",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "Connection is not available, request timed out");

    private DatabaseOutage() {
    }

    public static boolean isTransient(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return isTransient(failure, seen);
    }

    private static boolean isTransient(Throwable failure, Set<Throwable> seen) {
        if (failure == null || !seen.add(failure)) {
            return false;
        }
        if (failure instanceof SQLTransientConnectionException) {
            return true;
        }
        if (failure instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
                return true;
            }
            if (isTransient(sql.getNextException(), seen)) {
                return true;
            }
        }
        for (Throwable suppressed : failure.getSuppressed()) {
            if (isTransient(suppressed, seen)) {
                return true;
            }
        }
        return isTransient(failure.getCause(), seen);
    }

    /** The same classification on a printed stack trace (with its "Caused by:" lines), as James stores it on a mail. */
    public static boolean isTransient(String printedFailure) {
        return printedFailure != null && TRANSIENT_TEXT.stream().anyMatch(printedFailure::contains);
    }
}
