package fr.mssante.operator.extensions.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.database.MssDatabase;
import fr.mssante.operator.audit.metrics.MessageMetrics;
import fr.mssante.operator.audit.metrics.PrometheusText;
import fr.mssante.operator.testsupport.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Against a real PostgreSQL with the real migrations. */
class RecordMessageEventTest {
    private static final MutableClock CLOCK = MutableClock.at("2026-12-07T10:00:00Z");
    private static EmbeddedPostgres postgres;
    private static MssDatabase database;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        database = MssDatabase.open(new DatabaseSettings(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", true), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        database.close();
        postgres.close();
    }

    private RecordMessageEvent mailet(String event) throws MessagingException {
        RecordMessageEvent mailet = new RecordMessageEvent(TestJournals.log(database.dataSource()), CLOCK);
        mailet.init(FakeMailetConfig.builder().mailetName("audit").setProperty("event", event).build());
        return mailet;
    }

    @Test
    void recordsEnvelopeAndIdentifiersButNoContent() throws Exception {
        FakeMail mail = FakeMail.builder().name("mail-1")
            .sender("dr.a@hopital.test")
            .recipients(new MailAddress("dr.b@demo.mss.test"), new MailAddress("dr.c@demo.mss.test"))
            .remoteAddr("192.0.2.7")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addHeader("Message-ID", "<abc@hopital.test>")
                .setSubject("Patient DUPONT: résultats").setText("Glycémie 1,2 g/L"))
            .build();

        mailet("RECEIVED").service(mail);

        MessageEvent event = new MessageEventLog(database.dataSource()).latest(1).get(0);
        assertThat(event.event()).isEqualTo("RECEIVED");
        assertThat(event.mailName()).isEqualTo("mail-1");
        assertThat(event.messageId()).contains("<abc@hopital.test>");
        assertThat(event.sender()).contains("dr.a@hopital.test");
        assertThat(event.recipients()).isEqualTo(List.of("dr.b@demo.mss.test", "dr.c@demo.mss.test"));
        assertThat(event.remoteAddress()).contains("192.0.2.7");
        assertThat(event.toString()).doesNotContain("DUPONT", "Glycémie");
    }

    @Test
    void receivedStampsTheAcceptanceTimeAndDeliveredMeasuresTheLatencyOnTheInjectedClock() throws Exception {
        MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
        MessageMetrics metrics = new MessageMetrics();
        MessageEventLog log = TestJournals.log(database.dataSource(), clock, metrics);
        RecordMessageEvent received = new RecordMessageEvent(log, clock);
        received.init(FakeMailetConfig.builder().mailetName("audit").setProperty("event", "RECEIVED").build());
        RecordMessageEvent delivered = new RecordMessageEvent(log, clock);
        delivered.init(FakeMailetConfig.builder().mailetName("audit").setProperty("event", "DELIVERED").build());
        FakeMail mail = FakeMail.builder().name("mail-latency").sender("dr.a@hopital.test")
            .recipients(new MailAddress("dr.b@demo.mss.test"))
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("s").setText("t")).build();

        received.service(mail);
        clock.advance(Duration.ofSeconds(3));
        delivered.service(mail);

        assertThat(mail.getAttribute(RecordMessageEvent.RECEIVED_AT).map(attribute -> (Object) attribute.getValue().value()))
            .contains(Instant.parse("2026-12-07T10:00:00Z").toEpochMilli());
        PrometheusText text = new PrometheusText();
        metrics.writeTo(text);
        assertThat(text.toString()).contains("mss_delivery_latency_seconds_bucket{le=\"2.5\"} 0")
            .contains("mss_delivery_latency_seconds_bucket{le=\"5\"} 1")
            .contains("mss_delivery_latency_seconds_sum 3");
        assertThat(new MessageEventLog(database.dataSource()).latest(2)).extracting(MessageEvent::event)
            .containsExactly("DELIVERED", "RECEIVED");
    }

    @Test
    void theProcessorRunningAgainForTheSameMailAuditsEachRecipientOnce() throws Exception {
        FakeMail mail = FakeMail.builder().name("mail-again").sender("dr.a@hopital.test").state("local-delivery")
            .recipients(new MailAddress("dr.b@demo.mss.test"), new MailAddress("dr.c@demo.mss.test"))
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addHeader("Message-ID", "<again@hopital.test>").setText("t"))
            .build();
        RecordMessageEvent delivered = mailet("DELIVERED");

        delivered.service(mail);
        // a later mailet found PostgreSQL unreachable: the mail comes back (its copy, with its notes) to this processor
        Mail again = mail.duplicate();
        again.setState("local-delivery");
        delivered.service(again);
        // a third recipient added meanwhile is audited, alone
        again.setRecipients(List.of(new MailAddress("dr.b@demo.mss.test"), new MailAddress("dr.c@demo.mss.test"),
            new MailAddress("dr.d@demo.mss.test")));
        delivered.service(again);

        List<MessageEvent> rows = new MessageEventLog(database.dataSource()).latest(20).stream()
            .filter(event -> event.mailName().equals("mail-again")).toList();
        assertThat(rows).extracting(MessageEvent::recipients)
            .containsExactly(List.of("dr.d@demo.mss.test"), List.of("dr.b@demo.mss.test", "dr.c@demo.mss.test"));
    }

    @Test
    void aMailWithoutRecipientsIsAuditedOncePerProcessor() throws Exception {
        FakeMail mail = FakeMail.builder().name("mail-none").sender("dr.a@hopital.test").state("error")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setText("t")).build();
        RecordMessageEvent error = mailet("ERROR");

        error.service(mail);
        error.service(mail);

        assertThat(new MessageEventLog(database.dataSource()).latest(20)).filteredOn(event -> event.mailName().equals("mail-none"))
            .hasSize(1);
    }

    @Test
    void theEventParameterIsRequiredAndChecked() {
        RecordMessageEvent withoutEvent = new RecordMessageEvent(TestJournals.log(database.dataSource()), CLOCK);
        assertThatThrownBy(() -> withoutEvent.init(FakeMailetConfig.builder().mailetName("audit").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("event");
        assertThatThrownBy(() -> mailet("delivered; drop table")).isInstanceOf(MessagingException.class);
    }

    @Test
    void anUnknownParameterFailsAtStartup() {
        RecordMessageEvent mailet = new RecordMessageEvent(TestJournals.log(database.dataSource()), CLOCK);
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("audit")
            .setProperty("event", "RECEIVED").setProperty("evnet", "x").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("evnet");
    }
}
