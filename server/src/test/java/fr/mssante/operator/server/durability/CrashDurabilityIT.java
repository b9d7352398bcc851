package fr.mssante.operator.server.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

import javax.mail.FetchProfile;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.search.BodyTerm;
import javax.mail.search.SubjectTerm;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.SmtpDialogue;
import fr.mssante.operator.server.testing.TestServer;

/**
 * Crash durability (issue 2, must-show 3): 500 messages accepted with 250 over submission (STARTTLS + AUTH, 4
 * connections), {@code kill -9} of the server JVM while the spooler is still delivering, restart, and then: none lost,
 * duplicates counted (target ≤ 0.5%), and IMAP SEARCH finds every message. Prints the counts and writes them to
 * {@code target/crash-durability.txt}.
 */
class CrashDurabilityIT {
    private static final int MESSAGES = Integer.getInteger("mss.crash.messages", 500);
    private static final int CONNECTIONS = 4;
    private static final String SENDER = "alice.martin@" + DemoData.DOMAIN;
    private static final String RECIPIENT = "bruno.durand@" + DemoData.DOMAIN;

    @TempDir
    Path workingDirectory;
    private ServerProcess server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void noAcceptedMessageIsLostAcrossKillMinus9() throws Exception {
        server = new ServerProcess(workingDirectory);
        server.start();
        String run = "crashrun" + System.nanoTime();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();

        ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int connection = c;
            work.add(senders.submit(() -> {
                send(run, connection, accepted, refused);
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        senders.shutdown();
        int deliveredAtKill = countDelivered(run);
        server.killHard();

        server.start();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
            .until(() -> deliveredTokens(run).keySet().containsAll(accepted));

        Map<String, Integer> delivered = deliveredTokens(run);
        long lost = accepted.stream().filter(token -> !delivered.containsKey(token)).count();
        int duplicates = delivered.values().stream().mapToInt(count -> count - 1).sum();
        int searchAll;
        int searchBodyFound = 0;
        List<String> sample = new ArrayList<>(accepted);
        Collections.shuffle(sample);
        sample = sample.subList(0, Math.min(25, sample.size()));
        try (Store store = imap()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            searchAll = inbox.search(new SubjectTerm(run)).length;
            for (String token : sample) {
                if (inbox.search(new BodyTerm("body-" + token)).length >= 1) {
                    searchBodyFound++;
                }
            }
            inbox.close(false);
        }
        String report = String.format("crash durability: accepted(250)=%d refused=%d delivered-before-kill=%d "
                + "lost=%d duplicates=%d (%.2f%%) imap-search-subject=%d/%d imap-search-body-sample=%d/%d%n",
            accepted.size(), refused.get(), deliveredAtKill, lost, duplicates, 100.0 * duplicates / accepted.size(),
            searchAll, delivered.values().stream().mapToInt(Integer::intValue).sum(), searchBodyFound, sample.size());
        System.out.print(report);
        Files.writeString(Path.of("target", "crash-durability.txt"), report, StandardCharsets.UTF_8);

        assertThat(accepted).hasSize(MESSAGES);
        assertThat(lost).isZero();
        assertThat(duplicates).isLessThanOrEqualTo((int) Math.ceil(MESSAGES * 0.005));
        assertThat(searchAll).isEqualTo(delivered.values().stream().mapToInt(Integer::intValue).sum());
        assertThat(searchBodyFound).isEqualTo(sample.size());
    }

    private void send(String run, int connection, Set<String> accepted, AtomicInteger refused) throws Exception {
        SSLContext tls = clientTls();
        try (SmtpDialogue smtp = SmtpDialogue.connect(server.port("MSS_SUBMISSION_PORT"))) {
            smtp.reply();
            smtp.command("EHLO load.test");
            smtp.startTls(tls);
            smtp.command("EHLO load.test");
            if (!smtp.authPlain(SENDER, password(SENDER)).startsWith("235")) {
                throw new IllegalStateException("AUTH failed");
            }
            for (int i = connection; i < MESSAGES; i += CONNECTIONS) {
                String token = run + "-" + i;
                smtp.command("MAIL FROM:<" + SENDER + ">");
                smtp.command("RCPT TO:<" + RECIPIENT + ">");
                smtp.command("DATA");
                String reply = smtp.command("From: " + SENDER + "\r\nTo: " + RECIPIENT + "\r\nSubject: " + token
                    + "\r\nMessage-ID: <" + token + "@load.test>\r\n\r\nbody-" + token + "\r\n.");
                if (reply.startsWith("250")) {
                    accepted.add(token);
                } else {
                    refused.incrementAndGet();
                }
            }
            smtp.command("QUIT");
        }
    }

    private int countDelivered(String run) throws Exception {
        return deliveredTokens(run).values().stream().mapToInt(Integer::intValue).sum();
    }

    private Map<String, Integer> deliveredTokens(String run) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Store store = imap()) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            FetchProfile envelope = new FetchProfile();
            envelope.add(FetchProfile.Item.ENVELOPE);
            inbox.fetch(messages, envelope);
            for (Message message : messages) {
                String subject = message.getSubject();
                if (subject != null && subject.startsWith(run)) {
                    counts.merge(subject, 1, Integer::sum);
                }
            }
            inbox.close(false);
        }
        return counts;
    }

    private Store imap() throws Exception {
        Properties properties = new Properties();
        properties.put("mail.imap.host", "127.0.0.1");
        properties.put("mail.imap.port", String.valueOf(server.port("MSS_IMAP_PORT")));
        properties.put("mail.imap.starttls.enable", "true");
        properties.put("mail.imap.starttls.required", "true");
        properties.put("mail.imap.ssl.socketFactory", clientTls().getSocketFactory());
        Store store = Session.getInstance(properties).getStore("imap");
        store.connect(RECIPIENT, password(RECIPIENT));
        return store;
    }

    private String password(String address) throws IOException {
        Properties credentials = new Properties();
        try (InputStream in = Files.newInputStream(workingDirectory.resolve("var/dev/demo-credentials.properties"))) {
            credentials.load(in);
        }
        return credentials.getProperty(address);
    }

    private SSLContext clientTls() throws Exception {
        return TestServer.clientTlsTrusting(workingDirectory.resolve("var/dev/pki/ca.pem"));
    }
}
