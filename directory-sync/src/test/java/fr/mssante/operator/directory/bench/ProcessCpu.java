package fr.mssante.operator.directory.bench;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * CPU seconds used by this JVM and by one PostgreSQL server (the postmaster, its live children, and the children it
 * has reaped), read from /proc. On a machine shared with other work, CPU time is a steadier measure than elapsed
 * time: with 2 cores, elapsed time is at least half the CPU time.
 */
final class ProcessCpu {

    private static final double TICKS = 100.0; // USER_HZ on Linux
    private final long postmaster;

    ProcessCpu(DataSource postgres) throws SQLException, IOException {
        try (Connection c = postgres.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            this.postmaster = Long.parseLong(stat(rs.getLong(1))[3]);
        }
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    double jvmSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1e9;
    }

    double postgresSeconds() throws IOException {
        String[] own = stat(postmaster);
        double total = ticks(own, 13) + ticks(own, 14) + ticks(own, 15) + ticks(own, 16);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) processes::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] s = stat(Long.parseLong(name));
                    if (Long.parseLong(s[3]) == postmaster) {
                        total += ticks(s, 13) + ticks(s, 14);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile: its time is in the postmaster's children time
                }
            }
        }
        return total;
    }

    double totalSeconds() throws IOException {
        return jvmSeconds() + settledPostgresSeconds();
    }

    /**
     * PostgreSQL's CPU once the backends of closed connections have exited and been reaped: read until two reads
     * 100 ms apart agree (at most 3 s).
     */
    double settledPostgresSeconds() throws IOException {
        double previous = postgresSeconds();
        for (int i = 0; i < 30; i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            double now = postgresSeconds();
            if (Math.abs(now - previous) < 0.005) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    /** Fields of /proc/PID/stat, 0-based after the command name: [0]=pid … [3]=ppid … [13]=utime … [16]=cstime. */
    private static String[] stat(long pid) throws IOException {
        String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        int close = line.lastIndexOf(')');
        String[] rest = line.substring(close + 2).split(" ");
        String[] fields = new String[rest.length + 2];
        fields[0] = Long.toString(pid);
        fields[1] = line.substring(line.indexOf('(') + 1, close);
        System.arraycopy(rest, 0, fields, 2, rest.length);
        return fields;
    }

    private static double ticks(String[] fields, int index) {
        return Long.parseLong(fields[index]) / TICKS;
    }
}
