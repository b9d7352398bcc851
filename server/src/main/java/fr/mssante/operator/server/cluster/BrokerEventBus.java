package fr.mssante.operator.server.cluster;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.jms.Connection;
import javax.jms.DeliveryMode;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageProducer;
import javax.jms.Session;
import javax.jms.TextMessage;
import javax.jms.Topic;

import org.apache.james.event.json.MailboxEventSerializer;
import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventBusName;
import org.apache.james.events.EventDeadLetters;
import org.apache.james.events.EventListener;
import org.apache.james.events.EventSerializer;
import org.apache.james.events.Group;
import org.apache.james.events.InVMEventBus;
import org.apache.james.events.Registration;
import org.apache.james.events.RegistrationKey;
import org.apache.james.events.RetryBackoffConfiguration;
import org.apache.james.events.delivery.EventDelivery;
import org.apache.james.mailbox.events.MailboxIdRegistrationKey;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.quota.QuotaRootDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Mailbox events shared between the nodes of a cluster over a JMS topic of the broker they already share
 * (MSS_EVENTS_URL), with the semantics of James's distributed event bus:
 * <ul>
 * <li>group listeners (quota, annotations, search index…) run once, on the node where the change happened (James's
 * in-VM delivery, its retries and dead letters);</li>
 * <li>key listeners (an IMAP session's selected mailbox, IDLE) run on every node: a change with registration keys is
 * published, non-persistent, as James's JSON event ({@link EventSerializer}, {@link PortableEvents}) and each other node dispatches it to its
 * own key listeners. A node that is down has no IMAP session to notify, so nothing is kept for it.</li>
 * </ul>
 * A publication failure (broker unreachable) is logged; the change itself is already committed and the local
 * listeners have run: other nodes' IMAP clients then see it at their next command instead of at once.
 */
public final class BrokerEventBus implements EventBus {
    private static final Logger LOGGER = LoggerFactory.getLogger(BrokerEventBus.class);
    static final String TOPIC = "mss.mailbox.events";
    private static final String ORIGIN = "mssOrigin";
    private static final String KEYS = "mssKeys";

    private final InVMEventBus groups;
    private final InVMEventBus keyed;
    private final EventSerializer serializer;
    private final MailboxIdRegistrationKey.Factory keys;
    private final String origin;
    private final Connection connection;
    private final Session publishing;
    private final MessageProducer producer;
    private final Session receiving;
    /** This node's key registrations (a selected mailbox, IDLE), counted per key. */
    private final Map<RegistrationKey, AtomicInteger> listening = new ConcurrentHashMap<>();

    @Inject
    public BrokerEventBus(InVMEventBus groups, EventDelivery delivery, EventDeadLetters deadLetters,
                          MailboxId.Factory mailboxIds, QuotaRootDeserializer quotaRoots,
                          ClusterSettings cluster) throws JMSException {
        this.groups = groups;
        this.keyed = new InVMEventBus(delivery, RetryBackoffConfiguration.DEFAULT, deadLetters);
        // James's JSON events, message ids replaced by a placeholder (PortableEvents: JPA's cannot be serialised)
        this.serializer = new MailboxEventSerializer(mailboxIds,
            PortableEvents.PlaceholderMessageId.FACTORY, quotaRoots);
        this.keys = new MailboxIdRegistrationKey.Factory(mailboxIds);
        this.origin = cluster.nodeName() + "-" + UUID.randomUUID();
        this.connection = SharedQueueBroker.connectionFactory(cluster.eventsUrl().orElseThrow(), cluster.queueUser(),
            cluster.queuePassword(), cluster.nodeName()).createConnection();
        try {
            connection.start();
            publishing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = publishing.createTopic(TOPIC);
            producer = publishing.createProducer(topic);
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            receiving = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            receiving.createConsumer(topic, ORIGIN + " <> '" + origin + "'").setMessageListener(this::receive);
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
        LOGGER.info("Mailbox events shared with the other nodes on {} as {}", cluster.eventsUrl().orElseThrow(), origin);
    }

    @Override
    public Mono<Registration> register(EventListener.ReactiveEventListener listener, RegistrationKey key) {
        return keyed.register(listener, key).map(registration -> {
            listening.computeIfAbsent(key, any -> new AtomicInteger()).incrementAndGet();
            AtomicBoolean done = new AtomicBoolean();
            return (Registration) () -> Mono.from(registration.unregister()).doFinally(signal -> {
                if (done.compareAndSet(false, true)) {
                    listening.computeIfPresent(key, (any, count) -> count.decrementAndGet() <= 0 ? null : count);
                }
            });
        });
    }

    @Override
    public Registration register(EventListener.ReactiveEventListener listener, Group group) {
        return groups.register(listener, group);
    }

    @Override
    public Mono<Void> dispatch(Event event, Set<RegistrationKey> registrationKeys) {
        return groups.dispatch(event, Set.of())
            .then(keyed.dispatch(event, registrationKeys))
            .then(Mono.fromRunnable(() -> publish(event, registrationKeys)));
    }

    @Override
    public Mono<Void> reDeliver(Group group, Event event) {
        return groups.reDeliver(group, event);
    }

    @Override
    public EventBusName eventBusName() {
        return groups.eventBusName();
    }

    @Override
    public Collection<Group> listRegisteredGroups() {
        return groups.listRegisteredGroups();
    }

    private void publish(Event event, Set<RegistrationKey> registrationKeys) {
        if (registrationKeys.isEmpty() || event.isNoop()) {
            return;
        }
        try {
            String json = serializer.toJson(PortableEvents.portable(event));
            String keyList = registrationKeys.stream().map(RegistrationKey::asString).collect(Collectors.joining("\n"));
            synchronized (producer) {
                TextMessage message = publishing.createTextMessage(json);
                message.setStringProperty(ORIGIN, origin);
                message.setStringProperty(KEYS, keyList);
                producer.send(message);
            }
        } catch (Exception e) {
            LOGGER.warn("Mailbox event {} not shared with the other nodes: {}", event.getEventId().getId(), e.toString());
        }
    }

    /**
     * An event of another node reaches this node's sessions listening on one of its keys; when none listens here (a
     * node without an IMAP session on that mailbox: most events, most nodes), the event is not even parsed. Before
     * that check, every node parsed every other node's events: a second node cost each one about half its CPU per
     * message again (docs/benchmarks.md, "Scale-out").
     */
    private void receive(Message message) {
        try {
            Set<RegistrationKey> registrationKeys = Arrays.stream(message.getStringProperty(KEYS).split("\n"))
                .filter(key -> !key.isEmpty())
                .map(keys::fromString)
                .filter(listening::containsKey)
                .collect(Collectors.toSet());
            if (registrationKeys.isEmpty()) {
                return;
            }
            Event event = serializer.asEvent(((TextMessage) message).getText());
            keyed.dispatch(event, registrationKeys).block(Duration.ofSeconds(30));
        } catch (Exception e) {
            LOGGER.warn("A mailbox event from another node could not be delivered here: {}", e.toString());
        }
    }

    @PreDestroy
    public void close() {
        try {
            connection.close();
        } catch (JMSException e) {
            LOGGER.warn("Could not close the events connection: {}", e.getMessage());
        }
    }
}
