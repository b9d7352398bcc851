package fr.mssante.operator.server.supervision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code ./mss} needs to supervise a running server, under {@code var/run}:
 * <ul>
 *   <li>{@code procs/<role>}: one line {@code <pid> <starttime> <marker>} per process the server started (DMP
 *   stand-in, DMP connector, embedded PostgreSQL). {@code starttime} is field 22 of {@code /proc/<pid>/stat} and
 *   {@code marker} a string that the process's command line contains: together with the process state (a zombie is
 *   not running) they recognise the process even after its PID has been reused.</li>
 *   <li>{@code services}: one line {@code <name> <host> <port>} per TCP service this server started, exactly those:
 *   {@code ./mss status} checks this list and nothing else.</li>
 * </ul>
 * Files are replaced atomically, so a reader never sees half a line.
 */
public final class RunRecords {
    private final Path runDirectory;

    public RunRecords(Path runDirectory) {
        this.runDirectory = runDirectory;
    }

    /** A TCP service started by this server. */
    public record Service(String name, String host, int port) {
    }

    public Path processes() {
        return runDirectory.resolve("procs");
    }

    public Path services() {
        return runDirectory.resolve("services");
    }

    /** Records a started process under {@code role}; the marker must be part of its command line. */
    public void recordProcess(String role, long pid, String marker) throws IOException {
        String start = startTime(pid).stream().mapToObj(Long::toString).findFirst().orElse("-");
        write(processes().resolve(role), pid + " " + start + " " + marker + "\n");
    }

    public void forgetProcess(String role) throws IOException {
        Files.deleteIfExists(processes().resolve(role));
    }

    public void writeServices(List<Service> services) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Service service : services) {
            lines.append(service.name()).append(' ').append(service.host()).append(' ').append(service.port()).append('\n');
        }
        write(services(), lines.toString());
    }

    public void forgetServices() throws IOException {
        Files.deleteIfExists(services());
    }

    private void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Field 22 of {@code /proc/<pid>/stat} (clock ticks after boot); empty when there is no such process or no procfs. */
    public static OptionalLong startTime(long pid) {
        return statFields(pid).filter(fields -> fields.length > 19).map(fields -> OptionalLong.of(Long.parseLong(fields[19])))
            .orElse(OptionalLong.empty());
    }

    /**
     * Whether {@code pid} is a process that really runs: it exists and is neither a zombie (exited, not reaped yet) nor
     * dead. Where there is no procfs, falls back on {@link ProcessHandle#isAlive()}.
     */
    public static boolean running(long pid) {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        return statFields(pid).map(fields -> !fields[0].equals("Z") && !fields[0].equals("X") && !fields[0].equals("x"))
            .orElse(false);
    }

    /** The command line of {@code pid}, arguments joined by spaces; empty if it cannot be read. */
    public static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length > 0) {
                return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
            }
        } catch (IOException e) {
            // no procfs: fall back on what the JDK knows
        }
        return ProcessHandle.of(pid).flatMap(process -> process.info().commandLine());
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name: [0] is the state (field 3). */
    private static Optional<String[]> statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')');
            if (end < 0) {
                return Optional.empty();
            }
            return Optional.of(stat.substring(end + 1).trim().split("\\s+"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
