package fr.mssante.operator.dmp.process;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process started by the MSS server ends with it, even when the server is killed with {@code kill -9}: when
 * {@code MSS_EXIT_WITH_PARENT} names the parent's PID, two daemon threads watch for its end, standard input reaching
 * end-of-file (the server holds the other end of the pipe, which the kernel closes when it dies) and the parent PID
 * changing (an orphan is re-parented). Either exits normally (shutdown hooks run: connections closed); if they hang,
 * the process halts after {@link #HALT_AFTER}. Not set (a process started by hand or by a service manager): nothing.
 * Shared by the DMP stand-in and the DMP connector (both depend on this module).
 */
public final class ParentWatch {
    public static final String VARIABLE = "MSS_EXIT_WITH_PARENT";
    private static final Logger LOGGER = LoggerFactory.getLogger(ParentWatch.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration HALT_AFTER = Duration.ofSeconds(15);
    private static boolean exiting;

    private ParentWatch() {
    }

    public static void startIfAsked(String variable, InputStream stdin) {
        if (variable == null || variable.isBlank()) {
            return;
        }
        long parent = Long.parseLong(variable.trim());
        daemon("parent-stdin-watch", () -> {
            try {
                byte[] buffer = new byte[256];
                while (stdin.read(buffer) >= 0) {
                    // the server never writes: anything read is discarded
                }
            } catch (IOException e) {
                // a broken pipe is the same news
            }
            parentGone("standard input closed");
        });
        daemon("parent-pid-watch", () -> {
            while (true) {
                Optional<Long> current = ProcessHandle.current().parent().map(ProcessHandle::pid);
                if (current.isEmpty() || current.get() != parent) {
                    parentGone("parent process " + parent + " ended");
                    return;
                }
                try {
                    Thread.sleep(POLL.toMillis()); // polling another process, not a test synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private static void parentGone(String why) {
        synchronized (ParentWatch.class) {
            if (exiting) {
                return;
            }
            exiting = true;
        }
        LOGGER.warn("Stopping: the MSS server that started this process is gone ({})", why);
        daemon("halt-if-stuck", () -> {
            try {
                Thread.sleep(HALT_AFTER.toMillis());
            } catch (InterruptedException e) {
                // halt anyway
            }
            Runtime.getRuntime().halt(3);
        });
        System.exit(0);
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
