package fr.mssante.operator.server.cluster;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;

/**
 * The JMS connection to the external ActiveMQ broker that the nodes of a cluster share (MSS_QUEUE_URL). Same
 * consumer settings as the embedded broker: no prefetch (a node holds only the mail it is processing, so an idle
 * node takes the next one and a killed node's unacknowledged mail goes back to the queue for the others), no
 * deserialisation of classes outside ActiveMQ's trusted packages (mail bodies are {@code byte[]}).
 */
public final class SharedQueueBroker {
    private SharedQueueBroker() {
    }

    public static ActiveMQConnectionFactory connectionFactory(ClusterSettings cluster) {
        return connectionFactory(cluster.queueUrl().orElseThrow(), cluster.queueUser(), cluster.queuePassword(),
            cluster.nodeName());
    }

    static ActiveMQConnectionFactory connectionFactory(String url, String user, String password, String nodeName) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        if (!user.isEmpty()) {
            factory.setUserName(user);
            factory.setPassword(password);
        }
        factory.setTrustAllPackages(false);
        factory.setClientIDPrefix("mss-" + nodeName);
        ActiveMQPrefetchPolicy prefetch = new ActiveMQPrefetchPolicy();
        prefetch.setQueuePrefetch(0);
        prefetch.setTopicPrefetch(1000);
        factory.setPrefetchPolicy(prefetch);
        return factory;
    }
}
