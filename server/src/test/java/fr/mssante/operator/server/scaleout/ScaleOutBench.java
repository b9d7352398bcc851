package fr.mssante.operator.server.scaleout;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.mail.Folder;
import javax.mail.Store;

import fr.mssante.operator.server.database.EmbeddedDatabase;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.SmtpDialogue;

/**
 * bench/scaleout/run.sh (not part of {@code mvn verify}): throughput of 1 node vs 2 nodes on one PostgreSQL and one
 * ActiveMQ broker, each node held to one core ({@code taskset -c 0} / {@code -c 1}), rounds interleaved; then,
 * unless {@code FULL=0}, {@link TwoNodesIT} with the issue's full counts. A round: {@code MESSAGES} messages over
 * {@code CONNECTIONS} submission connections (STARTTLS + AUTH; 2 nodes: connections alternate), recipients rotating
 * over the demo mailboxes, timed from the first connection until every message is visible over IMAP (STATUS).
 */
public final class ScaleOutBench {
    private static final String SENDER = "alice.martin@" + DemoData.DOMAIN;
    private static final List<String> RECIPIENTS = List.of("bruno.durand@" + DemoData.DOMAIN,
        "claire.secretaire@" + DemoData.DOMAIN, "alice.martin@" + DemoData.DOMAIN);

    /** NODE_CPU_QUOTA (cores, e.g. 0.5): each node held to that CPU time by a cgroup, on top of its own core. */
    private static final double CPU_QUOTA = Double.parseDouble(System.getenv().getOrDefault("NODE_CPU_QUOTA", "0"));

    private ScaleOutBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "3"));
        int messages = Integer.parseInt(System.getenv().getOrDefault("MESSAGES", "300"));
        int connections = Integer.parseInt(System.getenv().getOrDefault("CONNECTIONS", "8"));
        Path work = Files.createTempDirectory("mss-scaleout-bench");
        StringBuilder report = new StringBuilder();
        if (!"0".equals(System.getenv("THROUGHPUT"))) {
            throughput(work, rounds, messages, connections, report);
        }
        System.out.print(report);
        if (!"0".equals(System.getenv("FULL"))) {
            TwoNodesIT full = new TwoNodesIT();
            Field directory = TwoNodesIT.class.getDeclaredField("directory");
            directory.setAccessible(true);
            directory.set(full, Files.createTempDirectory("mss-scaleout-full"));
            try {
                full.twoNodesShareTheQueueTheMailboxesAndTheirEvents();
            } finally {
                full.stopAll();
            }
        }
    }

    private static void throughput(Path work, int rounds, int messages, int connections, StringBuilder report) throws Exception {
        try (ActiveMqBroker broker = ActiveMqBroker.start(work.resolve("broker"))) {
            EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("db"), 0);
            try {
                Map<String, String> shared = Map.of("MSS_DB_URL", database.settings().url(),
                    "MSS_DB_USER", database.settings().user(), "MSS_DB_PASSWORD", database.settings().password(),
                    "MSS_QUEUE_URL", broker.url() + "?wireFormat.maxInactivityDuration=0");
                NodeProcess a = new NodeProcess(work.resolve("a"), "a", shared, "0").withCpuQuota(CPU_QUOTA);
                NodeProcess b = new NodeProcess(work.resolve("b"), "b", shared, "1").withCpuQuota(CPU_QUOTA);
                a.start();
                TwoNodesIT.copyDevelopmentMaterial(a.workingDirectory, b.workingDirectory);
                b.start();
                // both JVMs stay up for the whole run, so that both are equally warm (a node restarted for each 2-node
                // round ran its round cold: 0.77x in the first run of 2026-12-07 14:20); warm-up: JIT, pools, rows
                // WARMUP messages (default 2,000): C2 keeps compiling for a few thousand messages, and a node less warm
                // than the other spends CPU per message on it (measured 2026-12-07: +30 % in the 2-node rounds after a
                // 400-message warm-up)
                round(List.of(a, b), "warmup", Integer.parseInt(System.getenv().getOrDefault("WARMUP", "2000")), connections);
                long postgres = database.postmasterPid().orElseThrow();
                double[][] costs = new double[2][3]; // CPU ms per message, [1 node | 2 nodes][nodes, PostgreSQL, broker]
                List<Double> one = new ArrayList<>();
                List<Double> two = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    // ABBA order: 1 node first in even rounds, 2 nodes first in odd ones (drift cancels in the medians)
                    for (int leg = 0; leg < 2; leg++) {
                        boolean single = (leg == 0) == (r % 2 == 0);
                        if (single) {
                            freeze(b);
                        }
                        List<NodeProcess> serving = single ? List.of(a) : List.of(a, b);
                        double[] before = {cpu(a.pid()) + cpu(b.pid()), cpu(postgres), cpu(broker.pid())};
                        double rate = round(serving, (single ? "one" : "two") + r, messages, connections);
                        double[] after = {cpu(a.pid()) + cpu(b.pid()), cpu(postgres), cpu(broker.pid())};
                        for (int tier = 0; tier < 3; tier++) {
                            costs[single ? 0 : 1][tier] += (after[tier] - before[tier]) * 1000 / messages / rounds;
                        }
                        (single ? one : two).add(rate);
                        if (single) {
                            thaw(b);
                        }
                    }
                    System.out.printf(Locale.ROOT, "round %d: 1 node %.1f msg/s, 2 nodes %.1f msg/s (load %s)%n", r,
                        one.get(r), two.get(r), loadAverage());
                }
                double ratio = median(two) / median(one);
                report.append(String.format(Locale.ROOT, "scale-out throughput: %d messages x %d rounds, %d connections, "
                        + "each node on one core%s; 1 node: median %.1f msg/s %s; 2 nodes: median %.1f msg/s %s; ratio %.2fx; "
                        + "load average at the end: %s%n", messages, rounds, connections,
                    CPU_QUOTA > 0 ? " held to " + CPU_QUOTA + " core by a cgroup" : "", median(one), one, median(two), two,
                    ratio, loadAverage()));
                report.append(String.format(Locale.ROOT, "CPU per message (mean): 1-node rounds: node %.1f ms, PostgreSQL "
                        + "%.1f ms, broker %.1f ms; 2-node rounds: nodes %.1f ms, PostgreSQL %.1f ms, broker %.1f ms; "
                        + "projection from the 1-node rounds, one core per node and PostgreSQL/broker on cores of their "
                        + "own: N nodes ~ min(N x %.0f, %.0f per PostgreSQL core, %.0f per broker core) msg/s%n",
                    costs[0][0], costs[0][1], costs[0][2], costs[1][0], costs[1][1], costs[1][2],
                    1000 / costs[0][0], 1000 / costs[0][1], 1000 / costs[0][2]));
                thaw(b);
                b.stop();
                a.stop();
            } finally {
                database.close();
            }
        }
        Files.writeString(Path.of("target", "scaleout-throughput.txt"), report.toString(), StandardCharsets.UTF_8);
    }

    /**
     * SIGSTOP: the node keeps its JVM (and its warmth) but takes nothing from the queue. Its consumers pull one message
     * at a time (prefetch 0) with a 10-s receive: after 12 s none of its pulls is still open at the broker, so the
     * next round's messages all go to the other node. (The bench's queue URL turns the broker's inactivity
     * check off, or the broker would drop the frozen node's connection.)
     */
    private static void freeze(NodeProcess node) throws Exception {
        signal(node, "STOP");
        Thread.sleep(12_000);
    }

    private static void thaw(NodeProcess node) throws Exception {
        signal(node, "CONT");
    }

    private static void signal(NodeProcess node, String signal) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + signal + " " + node.pid() + " exited with " + exit);
        }
    }

    /** Messages per second, from the first connection until all are visible over IMAP. */
    private static double round(List<NodeProcess> nodes, String run, int messages, int connections) throws Exception {
        long before = visible(nodes.get(0));
        long start = System.nanoTime();
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            work.add(senders.submit(() -> {
                NodeProcess node = nodes.get(connection % nodes.size());
                try (SmtpDialogue smtp = SmtpDialogue.connect(node.port("MSS_SUBMISSION_PORT"))) {
                    smtp.reply();
                    smtp.command("EHLO bench.test");
                    smtp.startTls(TwoNodesIT.clientTls(node));
                    smtp.command("EHLO bench.test");
                    smtp.authPlain(SENDER, TwoNodesIT.password(node, SENDER));
                    for (int i = connection; i < messages; i += connections) {
                        String recipient = RECIPIENTS.get(i % RECIPIENTS.size());
                        smtp.command("MAIL FROM:<" + SENDER + ">");
                        smtp.command("RCPT TO:<" + recipient + ">");
                        smtp.command("DATA");
                        String reply = smtp.command("From: " + SENDER + "\r\nTo: " + recipient + "\r\nSubject: " + run + "-" + i
                            + "\r\n\r\n" + "x".repeat(1000) + "\r\n.");
                        if (!reply.startsWith("250")) {
                            throw new IllegalStateException("refused: " + reply);
                        }
                    }
                    smtp.command("QUIT");
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        senders.shutdown();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (Watch watch = new Watch(nodes.get(0))) {
            while (watch.count() < before + messages) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(run + ": not all visible after 10 min");
                }
                Thread.sleep(100);
            }
        }
        return messages / ((System.nanoTime() - start) / 1e9);
    }

    /** Messages in the recipients' INBOXes (IMAP STATUS), over sessions opened once per round. */
    private static long visible(NodeProcess node) throws Exception {
        try (Watch watch = new Watch(node)) {
            return watch.count();
        }
    }

    /**
     * One IMAP session per recipient, kept for a round: polling with STATUS on open sessions costs the watched node
     * little, where a TLS login per poll (every 100 ms, 3 recipients) took a share of the CPU the round measures.
     */
    private static final class Watch implements AutoCloseable {
        private final List<Store> stores = new ArrayList<>();
        private final List<Folder> inboxes = new ArrayList<>();

        Watch(NodeProcess node) throws Exception {
            for (String recipient : RECIPIENTS) {
                Store store = TwoNodesIT.imap(node, recipient);
                stores.add(store);
                inboxes.add(store.getFolder("INBOX"));
            }
        }

        long count() throws Exception {
            long total = 0;
            for (Folder inbox : inboxes) {
                total += inbox.getMessageCount(); // a closed folder: one STATUS (MESSAGES) per call
            }
            return total;
        }

        @Override
        public void close() throws Exception {
            for (Store store : stores) {
                store.close();
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** CPU seconds of a process, its live descendants and its reaped children (/proc, clock ticks of 1/100 s). */
    private static double cpu(long pid) {
        double total = ticks(pid, true);
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
            total += ticks(child.pid(), false);
        }
        return total / 100.0;
    }

    private static double ticks(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) … utime(11) stime(12) cutime(13) cstime(14)
            double ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withReapedChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return ticks;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
