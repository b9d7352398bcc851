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
 * accepted with 250 still reaches the inbox, no failure DSN goes to the sender, nothing is parked as an error; and
 * when the processor runs again for a mail, it reaches each recipient once, audited once, with one DSN.
 */
class DatabaseOutageInPipelineTest {
    static final String ALICE = "alice.martin@" + DemoData.DOMAIN;
    static final String BRUNO = "bruno.durand@" + DemoData.DOMAIN;
    static final String CLAIRE = "claire.secretaire@" + DemoData.DOMAIN;
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

    /**
     * Two recipients; storing the copy of the second fails as when PostgreSQL goes away (SQLState 57P01), five times,
     * until the database "comes back": the mail waits in the spool and local-delivery runs again for it. Each recipient ends
     * with exactly one copy, and one RECEIVED and one DELIVERED audit row.
     */
    @Test
    void theStoreLostAfterTheFirstRecipientLeavesEachRecipientOneCopyAndOneAuditRowOfEachKind() throws Exception {
        String token = "pg-partial-" + System.nanoTime();
        MimeMessage message = client.newMessage(ALICE, CLAIRE, token, "two recipients, the second one's store fails");
        message.setRecipients(Message.RecipientType.TO, CLAIRE + ", " + BRUNO);
        String failing = "EXISTS (SELECT 1 FROM james.james_mailbox b WHERE b.mailbox_id = NEW.mailbox_id"
            + " AND lower(b.user_name) = '" + BRUNO + "')";
        try (Outage outage = Outage.on("james.james_mail", failing)) {
            client.submit(ALICE, message);
            // longer than a blip: more failed attempts than the store's own quick retries (James's LocalDelivery: 3)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> outage.failures() >= 5 && subjects(CLAIRE).contains(token));
        }
        String messageId = message.getMessageID();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
            .untilAsserted(() -> assertThat(subjects(BRUNO)).contains(token));
        assertThat(subjects(CLAIRE)).filteredOn(token::equals).as("copies in Claire's INBOX").hasSize(1);
        assertThat(subjects(BRUNO)).filteredOn(token::equals).as("copies in Bruno's INBOX").hasSize(1);
        for (String recipient : List.of(CLAIRE, BRUNO)) {
            assertThat(auditRows("RECEIVED", messageId, recipient)).as("RECEIVED rows for " + recipient).isEqualTo(1);
            assertThat(auditRows("DELIVERED", messageId, recipient)).as("DELIVERED rows for " + recipient).isEqualTo(1);
        }
        assertThat(subjects(ALICE)).as("no DSN to the sender").noneMatch(subject -> subject.contains(token));
    }

    /**
     * The database goes away between two mailets, after the copy was stored: the success DSN's audit row fails, the
     * mail waits in the spool and local-delivery runs again for it from its first mailet. One copy, one DELIVERED row,
     * one DSN.
     */
    @Test
    void theDatabaseLostAfterTheStoreRepeatsNeitherTheCopyNorTheAuditRowNorTheDsn() throws Exception {
        String token = "pg-after-store-" + System.nanoTime();
        String messageId = "<" + token + "@" + DemoData.DOMAIN + ">";
        String data = "From: " + ALICE + "\r\nTo: " + BRUNO + "\r\nSubject: " + token + "\r\nMessage-ID: " + messageId
            + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nthe DSN audit fails once\r\n";
        try (Outage outage = Outage.on("mss.message_event", "NEW.event = 'DSN_SENT' AND NEW.message_id = '" + messageId + "'")) {
            client.submitWithDsn(ALICE, BRUNO, "NOTIFY=SUCCESS", data);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> outage.failures() > 0);
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
            .untilAsserted(() -> assertThat(auditRows("DSN_SENT", messageId, BRUNO)).isEqualTo(1));
        assertThat(subjects(BRUNO)).filteredOn(token::equals).as("copies in Bruno's INBOX").hasSize(1);
        assertThat(auditRows("DELIVERED", messageId, BRUNO)).as("DELIVERED rows").isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
            .untilAsserted(() -> assertThat(subjects(ALICE)).filteredOn(subject -> subject.contains(token)).isNotEmpty());
        assertThat(subjects(ALICE)).filteredOn(subject -> subject.contains(token)).as("success DSNs to the sender").hasSize(1);
    }

    /**
     * A trigger that fails the inserts into {@code table} matching {@code condition} as PostgreSQL does when it shuts
     * down (SQLState 57P01), and counts them (a sequence: not rolled back with the insert); closing it is the end of the
     * outage.
     */
    private record Outage(String table) implements AutoCloseable {
        static Outage on(String table, String condition) throws Exception {
            execute("CREATE SEQUENCE IF NOT EXISTS mss.test_outage_failures",
                "CREATE OR REPLACE FUNCTION mss.test_outage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " + condition
                    + " THEN PERFORM nextval('mss.test_outage_failures'); RAISE EXCEPTION"
                    + " 'terminating connection due to administrator command' USING ERRCODE = '57P01'; END IF; RETURN NEW; END $$",
                "CREATE TRIGGER test_outage BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION mss.test_outage()");
            return new Outage(table);
        }

        long failures() throws Exception {
            try (Connection connection = server.runtime().database().dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 var result = statement.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE 0 END"
                     + " FROM mss.test_outage_failures")) {
                result.next();
                return result.getLong(1);
            }
        }

        @Override
        public void close() throws Exception {
            execute("DROP TRIGGER test_outage ON " + table, "DROP FUNCTION mss.test_outage()",
                "DROP SEQUENCE mss.test_outage_failures");
        }

        private static void execute(String... statements) throws Exception {
            try (Connection connection = server.runtime().database().dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
            }
        }
    }

    private static long auditRows(String event, String messageId, String recipient) throws Exception {
        try (Connection connection = server.runtime().database().dataSource().getConnection();
             var statement = connection.prepareStatement("SELECT count(*) FROM mss.message_event"
                 + " WHERE event = ? AND message_id = ? AND ? = ANY (recipients)")) {
            statement.setString(1, event);
            statement.setString(2, messageId);
            statement.setString(3, recipient);
            try (var result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
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
