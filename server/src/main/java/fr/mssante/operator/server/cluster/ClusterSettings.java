package fr.mssante.operator.server.cluster;

import java.util.Optional;

/**
 * How this node shares its mail queue and its mailbox events with the other nodes of a cluster.
 *
 * <p>{@code queueUrl} empty (the default): the single-node layout, an ActiveMQ broker embedded in this JVM with its
 * KahaDB journal under {@code var/store/activemq}. Set: every node consumes the same queues of one external ActiveMQ
 * broker (OpenWire URL such as {@code failover:(tcp://broker:61616)}), mail bodies inline in the JMS messages (never
 * a file on one node's disk). {@code eventsUrl}: where mailbox events are published for the other nodes' IMAP
 * sessions (defaults to the queue broker; empty with no queue URL = events stay in this JVM).
 */
public record ClusterSettings(Optional<String> queueUrl, String queueUser, String queuePassword,
                              Optional<String> eventsUrl, String nodeName) {
    public static final ClusterSettings SINGLE_NODE = new ClusterSettings(Optional.empty(), "", "", Optional.empty(),
        "node-1");

    public ClusterSettings {
        Optional<String> queue = queueUrl.map(String::trim).filter(url -> !url.isEmpty());
        queueUrl = queue;
        eventsUrl = eventsUrl.map(String::trim).filter(url -> !url.isEmpty()).or(() -> queue);
        queueUser = queueUser == null ? "" : queueUser;
        queuePassword = queuePassword == null ? "" : queuePassword;
    }

    public boolean sharedQueue() {
        return queueUrl.isPresent();
    }

    public boolean sharedEvents() {
        return eventsUrl.isPresent();
    }

    @Override
    public String toString() {
        // never the password
        return "ClusterSettings[queue=" + queueUrl.orElse("embedded") + ", events=" + eventsUrl.orElse("in-JVM")
            + ", node=" + nodeName + "]";
    }
}
