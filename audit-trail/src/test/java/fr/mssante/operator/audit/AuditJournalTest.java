package fr.mssante.operator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.audit.metrics.MessageMetrics;
import fr.mssante.operator.audit.metrics.PrometheusText;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.time.Duration;

import fr.mssante.operator.testsupport.MutableClock;

class AuditJournalTest {
    private static final String PATIENT = "180077512345678@patient.mss.test";
    private static EmbeddedPostgres postgres;
    private static DataSource dataSource;

    private final PatientAddresses patients = PatientAddresses.withKey("0123456789abcdef0123456789abcdef".getBytes());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:30:00Z"));
    private AuditJournal journal;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).schemas("mss").locations("classpath:db/migration/mss").load().migrate();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void emptyTrail() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM mss.message_event");
        }
        journal = new AuditJournal(dataSource, patients, clock);
    }

    @Test
    void patientAddressesAreStoredHashedAndFoundByTheirClearForm() throws Exception {
        journal.append(AuditRecord.of("DELIVERED").mailName("Mail1").sender("dr@hopital.mss.test")
            .recipients(List.of(PATIENT)).messageId("<m1@hopital>").detail("for " + PATIENT));
        journal.append(AuditRecord.of("AUTH_FAILURE").actor(PATIENT).mailbox(PATIENT).peer("10.0.0.1").reason("bad password"));
        journal.append(AuditRecord.of("DELIVERED").mailName("Mail2").recipients(List.of("other@hopital.mss.test")));

        assertThat(everyStoredValue()).noneMatch(value -> value.contains("180077512345678"));
        List<AuditRow> found = journal.search(query(Optional.of(PATIENT), Optional.empty(), List.of()));
        assertThat(found).extracting(AuditRow::type).containsExactly("AUTH_FAILURE", "DELIVERED");
        assertThat(found.get(1).mailbox()).isEqualTo(patients.hash(PATIENT));
        assertThat(found.get(1).detail()).isEqualTo("for " + patients.hash(PATIENT));
        assertThat(found.get(1).outcome()).as("the outcome a type stands for").isEqualTo("DELIVERED");
        assertThat(found.get(0).peer()).isEqualTo("10.0.0.1");
    }

    @Test
    void searchesByMessageIdTypeAndTimeNewestFirst() throws Exception {
        journal.append(AuditRecord.of("RECEIVED").messageId("<a@x>"));
        clock.advance(Duration.of(1, ChronoUnit.HOURS));
        journal.append(AuditRecord.of("DELIVERED").messageId("<a@x>"));
        clock.advance(Duration.of(1, ChronoUnit.HOURS));
        journal.append(AuditRecord.of("BOUNCED").messageId("<b@x>"));

        assertThat(journal.search(query(Optional.empty(), Optional.of("a@x"), List.of()))).extracting(AuditRow::type)
            .containsExactly("DELIVERED", "RECEIVED");
        assertThat(journal.search(query(Optional.empty(), Optional.empty(), List.of("RECEIVED", "BOUNCED"))))
            .extracting(AuditRow::type).containsExactly("BOUNCED", "RECEIVED");
        assertThat(journal.search(new AuditQuery(Optional.empty(), Optional.empty(), List.of(),
            Optional.of(Instant.parse("2026-12-07T09:00:00Z")), Optional.of(Instant.parse("2026-12-07T10:00:00Z")), 10, 0)))
            .extracting(AuditRow::type).containsExactly("DELIVERED");
        assertThat(journal.search(query(Optional.empty(), Optional.empty(), List.of()).withLimit(1))).hasSize(1);
        assertThat(journal.types()).contains("RECEIVED", "ADMIN_CHANGE", "AUTH_FAILURE");
    }

    @Test
    void hourlyCountsMessagesByOutcome() throws Exception {
        journal.append(AuditRecord.of("RECEIVED"));
        journal.append(AuditRecord.of("SMTP_REFUSED"));
        clock.advance(Duration.of(1, ChronoUnit.HOURS));
        journal.append(AuditRecord.of("RECEIVED"));
        journal.append(AuditRecord.of("DELIVERED"));
        journal.append(AuditRecord.of("BOUNCED"));
        journal.append(AuditRecord.of("ADMIN_CHANGE").outcome("SUCCESS"));

        List<AuditJournal.HourlyCount> hourly = journal.hourly(3);
        assertThat(hourly).containsExactly(
            new AuditJournal.HourlyCount(Instant.parse("2026-12-07T07:00:00Z"), 0, 0, 0, 0),
            new AuditJournal.HourlyCount(Instant.parse("2026-12-07T08:00:00Z"), 1, 1, 0, 0),
            new AuditJournal.HourlyCount(Instant.parse("2026-12-07T09:00:00Z"), 1, 0, 1, 1));
    }

    @Test
    void retentionRemovesOldRowsAndAuditsItself() throws Exception {
        journal.append(AuditRecord.of("RECEIVED"));
        clock.advance(Duration.of(200, ChronoUnit.DAYS));
        journal.append(AuditRecord.of("RECEIVED"));
        clock.advance(Duration.of(200, ChronoUnit.DAYS));

        assertThat(new AuditRetention(journal, AuditRetention.parse("P1Y"), clock).run()).isEqualTo(1);
        List<AuditRow> rows = journal.search(AuditQuery.all());
        assertThat(rows).extracting(AuditRow::type).containsExactly("AUDIT_RETENTION", "RECEIVED");
        assertThat(rows.get(0).detail()).isEqualTo("removed 1 row(s) older than 2027-01-11T08:30:00Z");
        assertThat(rows.get(0).actor()).isEqualTo("system:retention");
    }

    @Test
    void retentionIsAPeriodOrDays() {
        assertThat(AuditRetention.parse("P1Y")).isEqualTo(Period.ofYears(1));
        assertThat(AuditRetention.parse("90")).isEqualTo(Period.ofDays(90));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditRetention.parse("P0D"))
            .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditRetention.parse("a year"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void controlCharactersAndOverlongTextsNeverReachTheTrail() throws Exception {
        journal.append(AuditRecord.of("ADMIN_CHANGE").detail("line\r\nForged: row " + "x".repeat(2000)));
        AuditRow row = journal.search(AuditQuery.all()).get(0);
        assertThat(row.detail()).doesNotContain("\r", "\n").hasSize(AuditJournal.MAX_TEXT);
    }

    @Test
    void metricsCountAuditedMessagesByOutcome() throws Exception {
        MessageMetrics metrics = new MessageMetrics();
        journal.onAppend(metrics::audited);
        journal.append(AuditRecord.of("RECEIVED"));
        journal.append(AuditRecord.of("RECEIVED"));
        journal.append(AuditRecord.of("AUTH_FAILURE"));
        metrics.delivered(java.time.Duration.ofMillis(300));
        metrics.handshake("smtp-mx", true);
        PrometheusText text = new PrometheusText();
        metrics.writeTo(text);
        assertThat(text.toString()).contains("mss_messages_total{outcome=\"accepted\"} 2\n",
            "mss_messages_total{outcome=\"refused\"} 0\n", "mss_delivery_latency_seconds_bucket{le=\"0.25\"} 0\n",
            "mss_delivery_latency_seconds_bucket{le=\"0.5\"} 1\n", "mss_delivery_latency_seconds_count 1\n",
            "mss_tls_handshakes_total{listener=\"smtp-mx\",result=\"ok\"} 1\n", "# TYPE mss_delivery_latency_seconds histogram\n")
            .doesNotContain("failure");
    }

    private static AuditQuery query(Optional<String> mailbox, Optional<String> messageId, List<String> types) {
        return new AuditQuery(mailbox, messageId, types, Optional.empty(), Optional.empty(), 100, 0);
    }

    private static List<String> everyStoredValue() throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM mss.message_event")) {
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    values.add(String.valueOf(rows.getObject(i) instanceof java.sql.Array array
                        ? java.util.Arrays.toString((Object[]) array.getArray()) : rows.getObject(i)));
                }
            }
        }
        return values;
    }

    /** Many threads auditing at once (the spool's threads): every row is written once, each caller after its own. */
    @Test
    void concurrentAppendsAreEachWrittenOnce() throws Exception {
        int threads = 16;
        int perThread = 25;
        java.util.concurrent.atomic.AtomicInteger stored = new java.util.concurrent.atomic.AtomicInteger();
        journal.onAppend(row -> stored.incrementAndGet());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        journal.append(AuditRecord.of("RECEIVED").mailName("Mail-" + thread + "-" + i));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(stored.get()).isEqualTo(threads * perThread);
        assertThat(countRows("count(*)")).isEqualTo(threads * perThread);
        assertThat(countRows("count(DISTINCT mail_name)")).isEqualTo(threads * perThread);
    }

    /**
     * Rows that waited while another was written go in one batch; when PostgreSQL refuses one of them, only its caller
     * fails: the others are written row by row. (A slow row holds the writer's turn while the others queue up.)
     */
    @Test
    void aRowRefusedInABatchFailsOnlyItsOwnCaller() throws Exception {
        execute("CREATE OR REPLACE FUNCTION mss.test_audit_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF NEW.mail_name = 'slow' THEN PERFORM pg_sleep(1); END IF;"
            + " IF NEW.mail_name = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$");
        execute("CREATE TRIGGER test_audit_rows BEFORE INSERT ON mss.message_event FOR EACH ROW"
            + " EXECUTE FUNCTION mss.test_audit_rows()");
        int queued = 10;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(queued + 1);
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        try {
            java.util.concurrent.Future<?> slow = pool.submit(() -> {
                journal.append(AuditRecord.of("RECEIVED").mailName("slow"));
                return null;
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> journal.waitingRows() == 0
                && countActive("%pg_sleep%") + countActive("INSERT INTO mss.message_event%") > 0);
            List<java.util.concurrent.Future<?>> others = new ArrayList<>();
            for (int i = 0; i < queued; i++) {
                String name = i == 4 ? "poison" : "Mail-" + i;
                others.add(pool.submit(() -> {
                    try {
                        journal.append(AuditRecord.of("RECEIVED").mailName(name));
                    } catch (java.sql.SQLException e) {
                        refused.incrementAndGet();
                    }
                    return null;
                }));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> journal.waitingRows() == queued);
            slow.get(30, java.util.concurrent.TimeUnit.SECONDS);
            for (java.util.concurrent.Future<?> future : others) {
                future.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            execute("DROP TRIGGER test_audit_rows ON mss.message_event");
        }
        assertThat(refused.get()).isEqualTo(1);
        assertThat(countRows("count(*)")).isEqualTo(queued); // the slow one and the nine others
        assertThat(countRows("count(*) FILTER (WHERE mail_name = 'poison')")).isZero();
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long countRows(String aggregate) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT " + aggregate + " FROM mss.message_event")) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }

    private static long countActive(String queryPattern) throws Exception {
        try (Connection connection = dataSource.getConnection();
             java.sql.PreparedStatement statement = connection.prepareStatement(
                 "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ?")) {
            statement.setString(1, queryPattern);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
