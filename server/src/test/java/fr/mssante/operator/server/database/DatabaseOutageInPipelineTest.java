package fr.mssante.operator.server.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Store;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.mailrepository.api.MailKey;
import org.apache.james.mailrepository.api.MailRepository;
import org.apache.james.mailrepository.api.MailRepositoryUrl;
import org.apache.james.server.core.MailImpl;
import org.apache.james.utils.MailRepositoryProbeImpl;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.testing.MailClient;
import fr.mssante.operator.server.testing.TestServer;

/**
 * PostgreSQL goes away while mail flows (every backend terminated, again and again, as a restart does): every message
 * accepted with 250 still reaches the inbox, no failure DSN goes to the sender, nothing is parked as an error.
 */
class DatabaseOutageInPipelineTest {
    static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    static TestServer server;
    static MailClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createTempDirectory("mss-pgdown-"), Map.of("mss.database.retry", "PT1S"));
        client = new MailClient(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void mailAcceptedWhileTheDatabaseIsDownIsDeliveredLaterNeverBounced() throws Exception {
        int aliceBefore = client.inboxCount(ALICE);
        long errorsBefore = errorRepositorySize();
        AtomicInteger terminated = new AtomicInteger();
        // every 300 ms, every backend of the database is terminated (what a PostgreSQL restart does to the pools)
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        killer.scheduleWithFixedDelay(() -> {
            try (Connection connection = server.runtime().database().dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 var result = statement.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE pid <> pg_backend_pid() AND datname = current_database()")) {
                result.next();
                terminated.addAndGet(result.getInt(1));
            } catch (Exception e) {
                // our own connection was terminated by a previous round: the next round takes another
            }
        }, 0, 300, TimeUnit.MILLISECONDS);
        List<String> accepted = new ArrayList<>();
        try {
            Instant end = Instant.now().plusSeconds(10);
            for (int i = 0; Instant.now().isBefore(end) || accepted.size() < 10; i++) {
                String subject = "pg-outage-" + i;
                MimeMessage message = client.newMessage(ALICE, BRUNO, subject, "accepted while PostgreSQL goes away");
                try {
                    client.submit(ALICE, message);
                    accepted.add(subject);
                } catch (Exception refused) {
                    // not accepted with 250 (authentication or the spool needed the database): the client retries
                }
                if (i > 400) {
                    break;
                }
            }
        } finally {
            killer.shutdownNow();
            assertThat(killer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(terminated.get()).as("backends terminated").isPositive();
        assertThat(accepted).hasSizeGreaterThanOrEqualTo(10);

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
            .untilAsserted(() -> assertThat(subjects(BRUNO)).containsAll(accepted));
        assertThat(errorRepositorySize()).as("mails parked in jpa://var/mail/error/").isEqualTo(errorsBefore);
        assertThat(subjects(ALICE)).as("DSNs to the sender").hasSize(aliceBefore);
    }

    @Test
    void aLongErrorMessageDoesNotPreventParkingAMail() throws Exception {
        MailRepositoryUrl url = MailRepositoryUrl.from("jpa://var/mail/error/");
        MailRepository repository = server.runtime().server().getProbe(MailRepositoryProbeImpl.class).getMailRepositoryStore().select(url);
        String error = "Exception calling LocalDelivery: " + "x".repeat(5000);
        Mail mail = MailImpl.builder().name("long-error-" + System.nanoTime()).sender(new MailAddress(ALICE))
            .addRecipient(new MailAddress(BRUNO)).mimeMessage(client.newMessage(ALICE, BRUNO, "long-error", "body"))
            .errorMessage(error).build();
        MailKey key = repository.store(mail);
        Mail parked = repository.retrieve(key);
        assertThat(parked.getErrorMessage()).hasSize(200).startsWith("Exception calling LocalDelivery: xxx");
        repository.remove(key);
    }

    private static List<String> subjects(String user) throws Exception {
        List<String> subjects = new ArrayList<>();
        try (Store store = client.imap(user)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message message : inbox.getMessages()) {
                subjects.add(String.valueOf(message.getSubject()));
            }
            inbox.close(false);
        }
        return subjects;
    }

    private static long errorRepositorySize() throws Exception {
        String repository = URLEncoder.encode("var/mail/error/", StandardCharsets.UTF_8);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.webAdminPort() + "/mailRepositories/" + repository))
            .header("Authorization", "Bearer " + server.webAdminToken()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("size").asLong();
    }
}
