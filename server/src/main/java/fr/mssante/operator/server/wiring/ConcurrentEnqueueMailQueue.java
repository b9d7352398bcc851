package fr.mssante.operator.server.wiring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import javax.jms.Connection;
import javax.jms.ConnectionFactory;
import javax.jms.DeliveryMode;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageProducer;
import javax.jms.Session;
import javax.mail.MessagingException;

import org.apache.activemq.ActiveMQSession;
import org.apache.activemq.command.ActiveMQBlobMessage;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQCacheableMailQueue;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.server.core.MimeMessageInputStream;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's ActiveMQ mail queue, whose enqueues run side by side. James 3.8.1 sends every mail of a queue through one
 * JMS session: {@code ActiveMQSession.send} holds that session's lock while the body is written to the blob store
 * and while KahaDB syncs its journal, so every SMTP connection waits for every other connection's disk sync (the
 * top lock of the relay benchmark's profile, docs/benchmarks.md). Here each enqueue borrows a session of its own,
 * on a connection of its own (the broker handles one connection's commands in order), so that concurrent
 * persistent sends reach KahaDB together and share one batched journal sync.
 *
 * <p>Nothing else changes: the message is the same blob message, sent persistent and synchronously, so
 * {@code enQueue} returns (and SMTP answers 250) only once KahaDB has synced it; a failed send deletes its blob
 * and throws, as James's does. A session serves one enqueue at a time and is reused; one whose send failed is closed.
 */
final class ConcurrentEnqueueMailQueue extends ActiveMQCacheableMailQueue {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConcurrentEnqueueMailQueue.class);

    private final ConnectionFactory connectionFactory;
    private final boolean blobBodies;
    private final ConcurrentLinkedDeque<Producer> idle = new ConcurrentLinkedDeque<>();
    private final Set<Producer> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger created = new AtomicInteger();
    private volatile boolean disposed;

    ConcurrentEnqueueMailQueue(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decorators,
                               MailQueueName name, MetricFactory metrics, GaugeRegistry gauges) {
        this(connectionFactory, decorators, name, metrics, gauges, true);
    }

    ConcurrentEnqueueMailQueue(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decorators,
                               MailQueueName name, MetricFactory metrics, GaugeRegistry gauges, boolean blobBodies) {
        super(connectionFactory, decorators, name, blobBodies, metrics, gauges);
        this.connectionFactory = connectionFactory;
        this.blobBodies = blobBodies;
    }

    @Override
    protected void produceMail(Map<String, Object> properties, int priority, Mail mail)
            throws JMSException, MessagingException, IOException {
        Producer producer = borrow();
        boolean sent = false;
        Message message = null;
        try {
            message = blobBodies ? producer.session().createBlobMessage(new MimeMessageInputStream(mail.getMessage()))
                : inlineBody(producer.session(), mail);
            for (Map.Entry<String, Object> property : properties.entrySet()) {
                message.setObjectProperty(property.getKey(), property.getValue());
            }
            producer.producer().send(message, DeliveryMode.PERSISTENT, priority, Message.DEFAULT_TIME_TO_LIVE);
            sent = true;
        } catch (JMSException e) {
            if (message instanceof ActiveMQBlobMessage blob) {
                blob.deleteFile();
            }
            throw e;
        } finally {
            if (sent && !disposed) {
                idle.push(producer);
            } else {
                close(producer);
            }
        }
    }

    /**
     * Scale-out (issue 18): on a broker shared by several nodes the body travels in the message itself (as James's
     * JMS queue writes it, read back by its {@code mimeMessage}), since a blob file would sit on this node's disk.
     */
    private static Message inlineBody(Session session, Mail mail) throws JMSException, MessagingException, IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.max(1024, mail.getMessageSize()));
        mail.getMessage().writeTo(body);
        return session.createObjectMessage(body.toByteArray());
    }

    /** Sessions opened so far (each serves one enqueue at a time). */
    int producersCreated() {
        return created.get();
    }

    @Override
    public void dispose() {
        disposed = true;
        open.forEach(ConcurrentEnqueueMailQueue::closeQuietly);
        open.clear();
        idle.clear();
        super.dispose();
    }

    private Producer borrow() throws JMSException {
        Producer producer = idle.poll();
        if (producer != null) {
            return producer;
        }
        Connection connection = connectionFactory.createConnection();
        try {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer messageProducer = session.createProducer(session.createQueue(queueName.asString()));
            producer = new Producer(connection, getAMQSession(session), messageProducer);
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
        open.add(producer);
        created.incrementAndGet();
        return producer;
    }

    private void close(Producer producer) {
        open.remove(producer);
        closeQuietly(producer);
    }

    private static void closeQuietly(Producer producer) {
        try {
            producer.connection().close();
        } catch (JMSException e) {
            LOGGER.warn("Could not close a mail queue producer connection: {}", e.getMessage());
        }
    }

    private record Producer(Connection connection, ActiveMQSession session, MessageProducer producer) {
    }
}
