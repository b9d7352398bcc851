package fr.mssante.operator.database;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import javax.sql.DataSource;

/**
 * Which node runs a scheduled job (issue 18): every node schedules the same jobs, and before each run claims the
 * occurrence ("slot": the day for a daily job, the interval's number for a periodic one) in the table
 * {@code scheduled_run}. The claim is one atomic upsert that only moves the job's row forward, so exactly one node
 * wins each slot however many try at once, and a node whose clock runs late cannot run an occurrence again. A node
 * that dies after claiming loses that occurrence; the next one runs as usual (each job is idempotent and catches up).
 */
public final class ScheduledRuns {
    private final DataSource dataSource;
    private final String node;

    public ScheduledRuns(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
    }

    /** True when this node takes {@code slot} of {@code job}; false when a node already took it (or a later one). */
    public boolean claim(String job, long slot) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement claim = connection.prepareStatement(
                 "INSERT INTO scheduled_run (job, slot, node) VALUES (?, ?, ?) "
                     + "ON CONFLICT (job) DO UPDATE SET slot = EXCLUDED.slot, node = EXCLUDED.node, claimed_at = now() "
                     + "WHERE scheduled_run.slot < EXCLUDED.slot")) {
            claim.setString(1, job);
            claim.setLong(2, slot);
            claim.setString(3, node);
            return claim.executeUpdate() == 1;
        }
    }

    /** The slot of a daily job on {@code day} (the day in the job's time zone). */
    public static long daily(LocalDate day) {
        return day.toEpochDay();
    }

    /** The slot of a job run every {@code interval}, at {@code now}. */
    public static long periodic(Instant now, Duration interval) {
        return Math.floorDiv(now.toEpochMilli(), Math.max(1, interval.toMillis()));
    }

    /** This node's name (MSS_NODE_NAME, published as the system property mss.node.name; else the host name). */
    public static String thisNode() {
        String configured = System.getProperty("mss.node.name", "").trim();
        if (!configured.isEmpty()) {
            return configured;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node-" + ProcessHandle.current().pid();
        }
    }

    public String node() {
        return node;
    }
}
