package fr.mssante.operator.extensions.delivery;

import fr.mssante.operator.delivery.OutboundMail;

import fr.mssante.operator.delivery.SmtpReply;
import fr.mssante.operator.delivery.OutboundSettings;
import fr.mssante.operator.delivery.OperatorDelivery;
import fr.mssante.operator.delivery.DeliveryResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.mssante.operator.extensions.audit.MessageEvent;
import fr.mssante.operator.extensions.audit.MessageEventLog;
import fr.mssante.operator.extensions.audit.TestJournals;
import fr.mssante.operator.extensions.testing.InMemoryMailQueue;
import fr.mssante.operator.extensions.testing.TestDatabase;
import fr.mssante.operator.smime.testing.TestPki;

/**
 * {@link DeliverToTrustedOperator} with James's mailet test kit: the mail leaves the processor for the outgoing queue,
 * and each attempt's outcome (what {@link OperatorDelivery} answers, scripted here: the SMTP conversation itself is
 * OperatorDelivery's, tested against real peers in the server's TwoOperatorsTest) becomes the right thing — audit,
 * bounce with each recipient's reply, one "delayed" DSN then a retry with the configured delay, a bounce after the
 * last attempt, a "relayed" DSN for a peer without DSN.
 */
class DeliverToTrustedOperatorTest {
    private static final String SENDER = "dr.a@demo.mss.test";
    private static final String ALICE = "alice@b.mss.test";
    private static final String BRUNO = "bruno@b.mss.test";
    private static final MailAddress ALICE_ADDRESS = address(ALICE);
    private static final MailAddress BRUNO_ADDRESS = address(BRUNO);
    private static OutboundSettings settings;

    private final InMemoryMailQueue queue = new InMemoryMailQueue(MailQueueName.of("outbound"));
    private final FakeMailContext context = FakeMailContext.defaultContext();
    private final ConcurrentLinkedQueue<Function<OutboundMail, DeliveryResult>> script = new ConcurrentLinkedQueue<>();
    private DeliverToTrustedOperator mailet;

    @BeforeAll
    static void identity(@TempDir Path directory) throws Exception {
        TestPki pki = TestPki.create("Outbound Test Root");
        TestPki.Issued server = pki.issue("postmaster@demo.mss.test");
        Path chain = TestPki.writePem(directory.resolve("chain.pem"), server.certificate(), pki.ca);
        Path key = Files.writeString(directory.resolve("key.pem"), TestPki.pem(server.key()));
        settings = new OutboundSettings(chain, key, "mx.demo.mss.test", Map.of(), Duration.ofSeconds(5),
            List.of(Duration.ofMinutes(5), Duration.ofMinutes(30)), 3, Duration.ofMinutes(1));
    }

    @AfterEach
    void stop() {
        if (mailet != null) {
            mailet.destroy();
        }
    }

    private DeliverToTrustedOperator mailet() throws Exception {
        OperatorDelivery scripted = new OperatorDelivery(settings, null, null) {
            @Override
            public DeliveryResult deliver(OutboundMail mail) {
                return script.remove().apply(mail);
            }
        };
        mailet = new DeliverToTrustedOperator(scripted, settings, queue.factory(), TestJournals.log(TestDatabase.dataSource()));
        mailet.init(FakeMailetConfig.builder().mailetName("DeliverToTrustedOperator").mailetContext(context)
            .setProperty("outgoingQueue", "outbound").setProperty("deliveryThreads", "2").build());
        return mailet;
    }

    private static FakeMail mail(String name, String... recipients) throws Exception {
        return FakeMail.builder().name(name).sender(SENDER).recipients(recipients).state("relay")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addHeader("Message-ID", "<" + name + "@demo.mss.test>")
                .setSubject("Compte rendu").setText("texte"))
            .build();
    }

    private static List<MessageEvent> events(String mailName) throws Exception {
        return new MessageEventLog(TestDatabase.dataSource()).latest(200).stream()
            .filter(event -> event.mailName().equals(mailName)).toList();
    }

    @Test
    void theMailLeavesTheProcessorForTheQueueAndItsDeliveryIsAudited() throws Exception {
        script.add(mail -> new DeliveryResult(mail.recipients(), Map.of(), Map.of(), List.of()));
        FakeMail mail = mail("out-1", ALICE);

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.GHOST);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(events("out-1")).extracting(MessageEvent::event).containsExactly("REMOTE_DELIVERED");
            assertThat(queue.completions).containsExactly("out-1 SUCCESS");
        });
        assertThat(context.getSentMails()).isEmpty();
    }

    @Test
    void aPermanentRefusalBouncesThatRecipientWithThePeersReply() throws Exception {
        SmtpReply refusal = new SmtpReply(550, "5.1.1 no such user", Optional.of("mx.b.mss.test"));
        script.add(mail -> new DeliveryResult(List.of(ALICE), Map.of(), Map.of(BRUNO, refusal), List.of()));

        mailet().service(mail("out-2", ALICE, BRUNO));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(context.getSentMails()).hasSize(1));
        FakeMailContext.SentMail bounce = context.getSentMails().get(0);
        assertThat(bounce.getState()).isEqualTo("bounces");
        assertThat(bounce.getRecipients()).containsExactly(BRUNO_ADDRESS);
        assertThat(reasons(bounce.getAttributes())).containsEntry(BRUNO, refusal.toString());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events("out-2"))
            .extracting(MessageEvent::event).containsExactlyInAnyOrder("REMOTE_DELIVERED", "REMOTE_FAILED"));
    }

    @Test
    void aFirstTransientFailureSendsOneDelayedNoticeAndRetriesAfterTheConfiguredDelay() throws Exception {
        SmtpReply busy = new SmtpReply(451, "4.3.0 try later", Optional.of("mx.b.mss.test"));
        script.add(mail -> new DeliveryResult(List.of(), Map.of(ALICE, busy), Map.of(), List.of()));

        mailet().service(mail("out-3", ALICE));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(queue.delayed).hasSize(1));
        InMemoryMailQueue.Delayed retry = queue.delayed.get(0);
        assertThat(retry.delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(retry.mail().getRecipients()).containsExactly(ALICE_ADDRESS);
        assertThat(retry.mail().getAttribute(DeliverToTrustedOperator.ATTEMPT)).map(Attribute::getValue)
            .contains(AttributeValue.of(2));
        assertThat(context.getSentMails()).singleElement().satisfies(delayed -> {
            assertThat(delayed.getState()).isEqualTo("delays");
            assertThat(delayed.getRecipients()).containsExactly(ALICE_ADDRESS);
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events("out-3"))
            .extracting(MessageEvent::event).containsExactly("REMOTE_DEFERRED"));
    }

    @Test
    void aTransientFailureAtTheLastAttemptBounces() throws Exception {
        SmtpReply busy = new SmtpReply(451, "4.3.0 try later");
        script.add(mail -> new DeliveryResult(List.of(), Map.of(ALICE, busy), Map.of(), List.of()));
        FakeMail last = mail("out-4", ALICE);
        last.setAttribute(new Attribute(DeliverToTrustedOperator.ATTEMPT, AttributeValue.of(3)));

        mailet().service(last);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(context.getSentMails()).hasSize(1));
        assertThat(context.getSentMails().get(0).getState()).isEqualTo("bounces");
        assertThat(queue.delayed).isEmpty();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(events("out-4")).singleElement()
            .satisfies(event -> assertThat(event.detail()).hasValueSatisfying(detail -> assertThat(detail).startsWith("after 3 attempts"))));
    }

    @Test
    void recipientsAPeerTookWithoutDsnGoToTheRelayedProcessor() throws Exception {
        script.add(mail -> new DeliveryResult(List.of(ALICE), Map.of(), Map.of(), List.of(ALICE)));

        mailet().service(mail("out-5", ALICE));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(context.getSentMails()).singleElement()
            .satisfies(relayed -> assertThat(relayed.getState()).isEqualTo("relayed")));
    }

    @Test
    void badParametersFailAtStartup() {
        DeliverToTrustedOperator bad = new DeliverToTrustedOperator(null, settings, queue.factory(),
            TestJournals.log(TestDatabase.dataSource()));
        assertThatThrownBy(() -> bad.init(FakeMailetConfig.builder().mailetName("DeliverToTrustedOperator")
            .setProperty("deliveryThreads", "0").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("deliveryThreads");
        assertThatThrownBy(() -> bad.init(FakeMailetConfig.builder().mailetName("DeliverToTrustedOperator")
            .setProperty("outgoingQueu", "outbound").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("outgoingQueu");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> reasons(Map<AttributeName, Attribute> attributes) {
        Map<String, AttributeValue<?>> values = (Map<String, AttributeValue<?>>) attributes.get(AttributeName.of("mss.dsn.reason"))
            .getValue().value();
        Map<String, String> reasons = new java.util.HashMap<>();
        values.forEach((recipient, value) -> reasons.put(recipient, (String) value.value()));
        return reasons;
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (javax.mail.internet.AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
