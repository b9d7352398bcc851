package fr.mssante.operator.server.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.mail.FetchProfile;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.UIDFolder;
import javax.mail.event.MessageCountAdapter;
import javax.mail.event.MessageCountEvent;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.mail.imap.IMAPFolder;

import fr.mssante.operator.server.database.EmbeddedDatabase;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Scale-out (issue 18, must-show 1 and 2). Counts printed and written to {@code target/scaleout-two-nodes.txt}: two nodes (packaged server, each its own JVM) on one PostgreSQL and one
 * real ActiveMQ broker (Debian {@code activemq}, its own process), the client choosing a node per connection
 * (DNS-style round robin):
 * <ol>
 * <li>{@code mss.scaleout.messages} messages (300 by default, 2,000 in bench/scaleout/run.sh) spread over
 * both: none lost, none duplicated, UIDs strictly increasing and unique in the mailbox;</li>
 * <li>{@code kill -9} of node A during a load: the client moves to B, B keeps accepting and delivering, A's
 * in-flight mail is delivered (by B: the broker returns A's unacknowledged messages to the queue), A restarts and
 * serves again;</li>
 * <li>IMAP IDLE on node B announces within 1 s a message appended on A, and one submitted over SMTP to A.</li>
 * </ol>
 *
 * <p>Runs in {@code mvn verify} with the default counts (300 + 200 messages, about 75 s); bench/scaleout/run.sh runs it
 * with the issue's counts. It passes since the row-locked append (UID and MODSEQ from one {@code UPDATE … RETURNING}
 * in the insert's transaction) and OpenJPA's own sequence pool (no pool deadlock); the first green run found two
 * settings of one node given the same port ({@link ActiveMqBroker#freePort()} now never repeats one).
 */
class TwoNodesIT {
    private static final int MESSAGES = Integer.getInteger("mss.scaleout.messages", 300);
    private static final int FAILOVER_MESSAGES = Integer.getInteger("mss.scaleout.failoverMessages", 200);
    private static final int CONNECTIONS = 4;
    private static final String SENDER = "alice.martin@" + DemoData.DOMAIN;
    private static final String RECIPIENT = "bruno.durand@" + DemoData.DOMAIN;

    @TempDir
    Path directory;
    private ActiveMqBroker broker;
    private EmbeddedDatabase database;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (NodeProcess node : nodes) {
            node.stop();
        }
        if (broker != null) {
            broker.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void twoNodesShareTheQueueTheMailboxesAndTheirEvents() throws Exception {
        ActiveMqBroker.require();
        broker = ActiveMqBroker.start(directory.resolve("broker"));
        database = EmbeddedDatabase.start(directory.resolve("db"), 0);
        Map<String, String> shared = Map.of("MSS_DB_URL", database.settings().url(),
            "MSS_DB_USER", database.settings().user(), "MSS_DB_PASSWORD", database.settings().password(),
            "MSS_QUEUE_URL", broker.url());
        NodeProcess a = node("a", shared);
        a.start();
        NodeProcess b = node("b", shared);
        copyDevelopmentMaterial(a.workingDirectory, b.workingDirectory);
        b.start();
        StringBuilder report = new StringBuilder();

        // 1. load spread over both nodes
        String run = "load" + System.nanoTime();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger switches = new AtomicInteger();
        long start = System.nanoTime();
        sendSpread(run, MESSAGES, List.of(a, b), accepted, switches, () -> { });
        awaitQuietly(Duration.ofMinutes(3), () -> delivered(b, run).keySet().containsAll(accepted));
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Integer> delivered = delivered(a, run);
        int duplicates = delivered.values().stream().mapToInt(count -> count - 1).sum();
        UidCheck uids = uids(b);
        report.append(String.format("load: %d messages over %d connections alternating A/B: accepted=%d delivered=%d "
                + "lost=%d duplicates=%d in %.1f s; mailbox UIDs: %d, distinct=%b, strictly increasing=%b%n",
            MESSAGES, CONNECTIONS, accepted.size(), delivered.size(),
            accepted.stream().filter(token -> !delivered.containsKey(token)).count(), duplicates, seconds,
            uids.count, uids.distinct, uids.increasing));
        System.out.print(report);

        // 2. kill -9 of A during a load
        String failover = "failover" + System.nanoTime();
        Set<String> acceptedDuringFailover = ConcurrentHashMap.newKeySet();
        AtomicInteger failoverSwitches = new AtomicInteger();
        AtomicLong acceptedAtKill = new AtomicLong(-1);
        sendSpread(failover, FAILOVER_MESSAGES, List.of(a, b), acceptedDuringFailover, failoverSwitches, () -> {
            if (acceptedDuringFailover.size() >= FAILOVER_MESSAGES / 3 && acceptedAtKill.compareAndSet(-1, acceptedDuringFailover.size())) {
                try {
                    a.killHard();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThat(a.isAlive()).isFalse();
        int deliveredBeforeRestart;
        awaitQuietly(Duration.ofMinutes(3), () -> delivered(b, failover).keySet().containsAll(acceptedDuringFailover));
        deliveredBeforeRestart = delivered(b, failover).size();
        a.start();
        String afterRestart = failover + "-after-restart";
        sendSpread(afterRestart, 4, List.of(a), ConcurrentHashMap.newKeySet(), new AtomicInteger(), () -> { });
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
            .until(() -> delivered(a, afterRestart).size() == 4);
        Map<String, Integer> failoverDelivered = delivered(b, failover);
        long lost = acceptedDuringFailover.stream().filter(token -> !failoverDelivered.containsKey(token)).count();
        int failoverDuplicates = failoverDelivered.values().stream().mapToInt(count -> count - 1).sum();
        UidCheck uidsAfter = uids(a);
        report.append(String.format("failover: %d messages, kill -9 of A after %d accepted; client moved %d time(s) to "
                + "the other node; accepted=%d, delivered by B alone=%d, lost=%d, duplicates=%d; A restarted and "
                + "delivered 4/4 new messages; mailbox UIDs: %d, distinct=%b, strictly increasing=%b%n",
            FAILOVER_MESSAGES, acceptedAtKill.get(), failoverSwitches.get(), acceptedDuringFailover.size(),
            deliveredBeforeRestart, lost, failoverDuplicates, uidsAfter.count, uidsAfter.distinct, uidsAfter.increasing));

        // 3. visibility across nodes: IDLE on B announces a message appended on A (the event between the nodes), and
        // a message submitted over SMTP to A (queue, mailet pipeline, delivery by whichever node, event)
        long appendMillis = idleOn(b, () -> appendOn(a, "appended" + System.nanoTime()));
        long submitMillis = idleOn(b, () -> submitOn(a, "visible" + System.nanoTime()));
        report.append(String.format("visibility on B (IMAP IDLE): APPEND on A announced after %d ms; SMTP submission "
            + "to A announced after %d ms (load average %s)%n", appendMillis, submitMillis, loadAverage()));
        System.out.print(report);
        Files.writeString(Path.of("target", "scaleout-two-nodes.txt"), report.toString(), StandardCharsets.UTF_8);

        assertThat(accepted).hasSize(MESSAGES);
        assertThat(delivered.keySet()).containsAll(accepted);
        assertThat(duplicates).isZero();
        assertThat(uids.distinct).isTrue();
        assertThat(uids.increasing).isTrue();
        assertThat(appendMillis).isLessThan(1000);
        assertThat(submitMillis).isLessThan(1000);
        assertThat(acceptedAtKill.get()).isPositive();
        assertThat(acceptedDuringFailover).hasSize(FAILOVER_MESSAGES);
        assertThat(lost).isZero();
        // at least once: a message whose 250 was lost with A may be sent again to B (at most one per connection)
        assertThat(failoverDuplicates).isLessThanOrEqualTo(CONNECTIONS);
        assertThat(uidsAfter.distinct).isTrue();
        assertThat(uidsAfter.increasing).isTrue();
    }

    /** Waits for {@code condition} at most {@code timeout}; the counts printed afterwards say what was missing. */
    private static void awaitQuietly(Duration timeout, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported by the counts and assertions that follow
        }
    }

    private NodeProcess node(String name, Map<String, String> shared) throws IOException {
        NodeProcess node = new NodeProcess(directory.resolve(name), name, shared, null);
        nodes.add(node);
        return node;
    }

    /** What ./mss up --node 2 does too: the second node uses the first one's development PKI, secrets and demo passwords. */
    static void copyDevelopmentMaterial(Path from, Path to) throws IOException {
        Path source = from.resolve("var/dev");
        Path target = to.resolve("var/dev");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** Milliseconds from {@code action}'s end (it returns the subject it made appear) to B's IDLE announcing it. */
    private long idleOn(NodeProcess watch, java.util.concurrent.Callable<String> action) throws Exception {
        AtomicLong announced = new AtomicLong();
        try (Store store = imap(watch)) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            inbox.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent event) {
                    announced.compareAndSet(0, System.nanoTime());
                }
            });
            Thread idler = new Thread(() -> {
                try {
                    while (announced.get() == 0 && inbox.isOpen()) {
                        inbox.idle(true);
                    }
                } catch (javax.mail.MessagingException e) {
                    // the folder was closed at the end of the test
                }
            }, "imap-idle-on-b");
            idler.setDaemon(true);
            idler.start();
            // IDLE is running on B before the message is made
            await().atMost(Duration.ofSeconds(10)).until(() -> idler.getState() == Thread.State.RUNNABLE
                || idler.getState() == Thread.State.WAITING || idler.getState() == Thread.State.TIMED_WAITING);
            String subject = action.call();
            long done = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> announced.get() != 0);
            long latency = (announced.get() - done) / 1_000_000;
            Message[] messages = inbox.getMessages();
            assertThat(messages[messages.length - 1].getSubject()).isEqualTo(subject);
            return Math.max(0, latency);
        }
    }

    private String submitOn(NodeProcess node, String token) throws Exception {
        try (SmtpDialogue smtp = submission(node)) {
            assertThat(sendOne(smtp, token)).startsWith("250");
        }
        return token;
    }

    /** IMAP APPEND into the recipient's INBOX on {@code node}: returns once the message is committed there. */
    private String appendOn(NodeProcess node, String subject) throws Exception {
        try (Store store = imap(node)) {
            Folder inbox = store.getFolder("INBOX");
            javax.mail.internet.MimeMessage message = new javax.mail.internet.MimeMessage(Session.getInstance(new Properties()));
            message.setFrom(SENDER);
            message.setRecipients(Message.RecipientType.TO, RECIPIENT);
            message.setSubject(subject);
            message.setText("appended on " + node.workingDirectory.getFileName());
            inbox.appendMessages(new Message[] {message});
        }
        return subject;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Connections alternate between the nodes; a connection whose node fails moves to the next node and resends. */
    private void sendSpread(String run, int count, List<NodeProcess> targets, Set<String> accepted, AtomicInteger switches,
                            Runnable afterEach) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int connection = c;
            work.add(senders.submit(() -> {
                int target = connection % targets.size();
                SmtpDialogue smtp = null;
                try {
                    for (int i = connection; i < count; i += CONNECTIONS) {
                        String token = run + "-" + i;
                        for (int attempt = 0; ; attempt++) {
                            try {
                                if (smtp == null) {
                                    smtp = submission(targets.get(target));
                                }
                                String reply = sendOne(smtp, token);
                                if (!reply.startsWith("250")) {
                                    throw new IOException("refused: " + reply);
                                }
                                accepted.add(token);
                                afterEach.run();
                                break;
                            } catch (IOException e) {
                                closeQuietly(smtp);
                                smtp = null;
                                if (attempt >= 20) {
                                    throw e;
                                }
                                target = (target + 1) % targets.size();
                                switches.incrementAndGet();
                            }
                        }
                    }
                    if (smtp != null) {
                        smtp.command("QUIT");
                    }
                } finally {
                    closeQuietly(smtp);
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        senders.shutdown();
    }

    private static void closeQuietly(SmtpDialogue smtp) {
        if (smtp != null) {
            try {
                smtp.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    private SmtpDialogue submission(NodeProcess node) throws Exception {
        SmtpDialogue smtp = SmtpDialogue.connect(node.port("MSS_SUBMISSION_PORT"));
        try {
            smtp.reply();
            smtp.command("EHLO load.test");
            smtp.startTls(clientTls(node));
            smtp.command("EHLO load.test");
            String auth = smtp.authPlain(SENDER, password(node, SENDER));
            if (!auth.startsWith("235")) {
                throw new IOException("AUTH failed: " + auth);
            }
            return smtp;
        } catch (IOException | RuntimeException e) {
            closeQuietly(smtp);
            throw e;
        }
    }

    private static String sendOne(SmtpDialogue smtp, String token) throws IOException {
        smtp.command("MAIL FROM:<" + SENDER + ">");
        smtp.command("RCPT TO:<" + RECIPIENT + ">");
        smtp.command("DATA");
        return smtp.command("From: " + SENDER + "\r\nTo: " + RECIPIENT + "\r\nSubject: " + token
            + "\r\nMessage-ID: <" + token + "@load.test>\r\n\r\nbody-" + token + "\r\n.");
    }

    private Map<String, Integer> delivered(NodeProcess node, String run) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Store store = imap(node)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            FetchProfile envelope = new FetchProfile();
            envelope.add(FetchProfile.Item.ENVELOPE);
            inbox.fetch(messages, envelope);
            for (Message message : messages) {
                String subject = message.getSubject();
                if (subject != null && subject.startsWith(run + "-")) {
                    counts.merge(subject, 1, Integer::sum);
                }
            }
            inbox.close(false);
        }
        return counts;
    }

    private record UidCheck(int count, boolean distinct, boolean increasing) {
    }

    /** The mailbox's UIDs in message-sequence order: each strictly greater than the previous (so none repeated). */
    private UidCheck uids(NodeProcess node) throws Exception {
        try (Store store = imap(node)) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            FetchProfile uid = new FetchProfile();
            uid.add(UIDFolder.FetchProfileItem.UID);
            inbox.fetch(messages, uid);
            long previous = -1;
            boolean increasing = true;
            Set<Long> seen = new java.util.HashSet<>();
            for (Message message : messages) {
                long value = inbox.getUID(message);
                increasing &= value > previous;
                seen.add(value);
                previous = value;
            }
            inbox.close(false);
            return new UidCheck(messages.length, seen.size() == messages.length, increasing);
        }
    }

    private Store imap(NodeProcess node) throws Exception {
        return imap(node, RECIPIENT);
    }

    /** An IMAP session (STARTTLS, the node's development CA) of a demo mailbox on {@code node}. */
    static Store imap(NodeProcess node, String user) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.imap.host", "127.0.0.1");
        properties.put("mail.imap.port", String.valueOf(node.port("MSS_IMAP_PORT")));
        properties.put("mail.imap.starttls.enable", "true");
        properties.put("mail.imap.starttls.required", "true");
        properties.put("mail.imap.ssl.socketFactory", clientTls(node).getSocketFactory());
        Store store = Session.getInstance(properties).getStore("imap");
        store.connect(user, password(node, user));
        return store;
    }

    static String password(NodeProcess node, String address) throws IOException {
        Properties credentials = new Properties();
        try (InputStream in = Files.newInputStream(node.workingDirectory.resolve("var/dev/demo-credentials.properties"))) {
            credentials.load(in);
        }
        return credentials.getProperty(address);
    }

    static SSLContext clientTls(NodeProcess node) throws Exception {
        return TestServer.clientTlsTrusting(node.workingDirectory.resolve("var/dev/pki/ca.pem"));
    }
}
