package fr.mssante.operator.extensions.antivirus;

import fr.mssante.operator.documents.antivirus.VirusScanner;
import fr.mssante.operator.documents.antivirus.ClamdScanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.mail.MessagingException;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import fr.mssante.operator.documents.testing.ClamdProcess;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.audit.TestJournals;
import fr.mssante.operator.extensions.testing.TestDatabase;

/**
 * {@link ScanForViruses} with James's mailet test kit and a real clamd (one EICAR signature, no downloads): clean mail
 * goes on, EICAR is quarantined with its signature, a mail clamd cannot take is quarantined as unscannable, and with
 * no scanner answering the mail goes back to the spool with the retry delay (GHOST here, audited).
 */
class ScanForVirusesTest {
    private static ClamdProcess clamd;
    private final RecordingQueue spool = new RecordingQueue();
    private final MessageEventLog audit = TestJournals.log(TestDatabase.dataSource());

    @BeforeAll
    static void startClamd() throws Exception {
        clamd = ClamdProcess.start(Files.createTempDirectory("clamd-mailet-"));
    }

    @AfterAll
    static void stopClamd() {
        clamd.close();
    }

    private ScanForViruses mailet(VirusScanner scanner) throws MessagingException {
        ScanForViruses mailet = new ScanForViruses(scanner, new SpoolFactory(spool), audit);
        mailet.init(FakeMailetConfig.builder().mailetName("ScanForViruses").mailetContext(FakeMailContext.defaultContext())
            .setProperty("quarantineProcessor", "quarantine").setProperty("retryDelay", "PT2M").build());
        return mailet;
    }

    private static FakeMail mail(String name, String text) throws MessagingException {
        return FakeMail.builder().name(name).sender("dr.a@hopital.test").recipient("dr.b@demo.mss.test").state("root")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addHeader("Message-ID", "<" + name + "@hopital.test>")
                .setSubject("Compte rendu").setText(text))
            .build();
    }

    @Test
    void cleanMailIsMarkedAndGoesOn() throws Exception {
        FakeMail mail = mail("clean-1", "Bonjour, voici le compte rendu.");

        mailet(new ClamdScanner(clamd.tcpAddress())).service(mail);

        assertThat(mail.getAttribute(ScanForViruses.VERDICT)).map(Attribute::getValue).contains(AttributeValue.of("CLEAN"));
        assertThat(mail.getState()).isEqualTo("root");
    }

    @Test
    void eicarIsQuarantinedWithItsSignature() throws Exception {
        javax.mail.internet.MimeMessage message = new javax.mail.internet.MimeMessage(
            javax.mail.Session.getInstance(new java.util.Properties()));
        message.setSubject("pj");
        javax.mail.internet.MimeBodyPart text = new javax.mail.internet.MimeBodyPart();
        text.setText("Compte rendu en pièce jointe", "UTF-8");
        javax.mail.internet.MimeBodyPart attachment = new javax.mail.internet.MimeBodyPart();
        attachment.setContent(ClamdProcess.EICAR.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "application/octet-stream");
        attachment.setFileName("resultat.pdf");
        attachment.setHeader("Content-Transfer-Encoding", "base64");
        message.setContent(new javax.mail.internet.MimeMultipart(text, attachment));
        message.saveChanges();
        FakeMail mail = FakeMail.builder().name("eicar-1").sender("x@hopital.test").recipient("dr.b@demo.mss.test").state("root")
            .mimeMessage(message).build();

        mailet(new ClamdScanner(clamd.tcpAddress())).service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(mail.getAttribute(ScanForViruses.VERDICT)).map(Attribute::getValue).contains(AttributeValue.of("INFECTED"));
        assertThat(mail.getAttribute(ScanForViruses.SIGNATURE)).map(Attribute::getValue)
            .contains(AttributeValue.of(ClamdProcess.SIGNATURE + ".UNOFFICIAL"));
    }

    @Test
    void aMessageClamdCannotTakeIsQuarantinedAsUnscannable() throws Exception {
        // clamd of the fixture takes 8 MiB per stream (StreamMaxLength 8M)
        FakeMail mail = mail("huge-1", "x".repeat(9 * 1024 * 1024));

        mailet(new ClamdScanner(clamd.tcpAddress())).service(mail);

        assertThat(mail.getState()).isEqualTo("quarantine");
        assertThat(mail.getAttribute(ScanForViruses.VERDICT)).map(Attribute::getValue).contains(AttributeValue.of("UNSCANNABLE"));
    }

    @Test
    void withTheScannerUnavailableTheMailWaitsInTheSpoolAndIsNeverDeliveredUnscanned() throws Exception {
        FakeMail mail = mail("wait-1", "Bonjour");

        mailet(new ClamdScanner("127.0.0.1:1")).service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        assertThat(spool.enqueued).singleElement().satisfies(again -> {
            assertThat(again.name()).isEqualTo("wait-1");
            assertThat(again.state()).isEqualTo("root");
            assertThat(again.waits()).contains(1);
            assertThat(again.delay()).isEqualTo(Duration.ofMinutes(2));
        });
        assertThat(new MessageEventLog(TestDatabase.dataSource()).latest(20)).anySatisfy(event -> {
            assertThat(event.event()).isEqualTo("ANTIVIRUS_WAIT");
            assertThat(event.mailName()).isEqualTo("wait-1");
        });
    }

    @Test
    void withoutAScannerConfiguredTheMailIsMarkedNotScanned() throws Exception {
        FakeMail mail = mail("dev-1", "Bonjour");

        mailet(VirusScanner.DISABLED).service(mail);

        assertThat(mail.getAttribute(ScanForViruses.VERDICT)).map(Attribute::getValue).contains(AttributeValue.of("NOT_SCANNED"));
        assertThat(mail.getState()).isEqualTo("root");
    }

    @Test
    void aBadDelayOrAnUnknownParameterFailsAtStartup() {
        ScanForViruses mailet = new ScanForViruses(VirusScanner.DISABLED, new SpoolFactory(spool), audit);
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("ScanForViruses")
            .setProperty("retryDelay", "1 minute").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("retryDelay");
        assertThatThrownBy(() -> mailet.init(FakeMailetConfig.builder().mailetName("ScanForViruses")
            .setProperty("quarantine", "quarantine").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("quarantine");
    }

    record Enqueued(String name, String state, Optional<Integer> waits, Duration delay) {
    }

    /** The spool queue, recording what is put back (the mailet disposes its copy right after). */
    static final class RecordingQueue implements MailQueue {
        final List<Enqueued> enqueued = new CopyOnWriteArrayList<>();

        @Override
        public MailQueueName getName() {
            return MailQueueFactory.SPOOL;
        }

        @Override
        public void enQueue(Mail mail, Duration delay) {
            enqueued.add(new Enqueued(mail.getName(), mail.getState(),
                mail.getAttribute(ScanForViruses.WAITS).flatMap(a -> a.getValue().valueAs(Integer.class)), delay));
        }

        @Override
        public void enQueue(Mail mail) {
            enQueue(mail, Duration.ZERO);
        }

        @Override
        public Publisher<Void> enqueueReactive(Mail mail) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Publisher<MailQueueItem> deQueue() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    record SpoolFactory(RecordingQueue spool) implements MailQueueFactory<RecordingQueue> {
        @Override
        public Optional<RecordingQueue> getQueue(MailQueueName name, PrefetchCount count) {
            return Optional.of(spool);
        }

        @Override
        public RecordingQueue createQueue(MailQueueName name, PrefetchCount count) {
            return spool;
        }

        @Override
        public Set<MailQueueName> listCreatedMailQueues() {
            return Set.of(MailQueueFactory.SPOOL);
        }
    }
}
