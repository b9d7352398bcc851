package fr.mssante.operator.server.wiring;

import java.util.UUID;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.queue.activemq.FileSystemBlobStrategy;
import org.apache.james.queue.activemq.FileSystemBlobTransferPolicy;

/**
 * The embedded ActiveMQ broker of the mail queue: persistent (KahaDB journal under {@code var/store/activemq},
 * synced on every persistent send), reachable only in-JVM (no TCP connector, no JMX), with a broker name unique to
 * this server so that two servers in one JVM (tests) never share a queue. Mail bodies travel as blob messages in
 * {@code var/store/activemq/blob-transfer}, each forced to disk (file and directory) before its message is sent
 * ({@link DurableBlobUploadStrategy}).
 */
@Singleton
public class EmbeddedQueueBroker {
    /** James's default number of blob sub-directories. */
    private static final int BLOB_DIRECTORIES = 10;

    private final BrokerService broker;
    private final ActiveMQConnectionFactory connectionFactory;

    @Inject
    public EmbeddedQueueBroker(FileSystem fileSystem) throws Exception {
        this(fileSystem, DurableBlobUploadStrategy.FSYNC);
    }

    /** @param sync forces each message body (and its directory) to disk before the message is sent (tests count) */
    EmbeddedQueueBroker(FileSystem fileSystem, DurableBlobUploadStrategy.Sync sync) throws Exception {
        String name = "mss-" + UUID.randomUUID();
        KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
        kahaDb.setDirectory(fileSystem.getFile("file://var/store/activemq/brokers/KahaDB"));
        kahaDb.setEnableJournalDiskSyncs(true);
        broker = new BrokerService();
        broker.setBrokerName(name);
        broker.setUseJmx(false);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(fileSystem.getFile("file://var/store/activemq/brokers"));
        broker.setUseShutdownHook(false);
        broker.setSchedulerSupport(false);
        broker.setPersistenceAdapter(kahaDb);
        broker.setPlugins(new BrokerPlugin[] {new StatisticsBrokerPlugin()});
        broker.setEnableStatistics(true);
        broker.start();
        broker.waitUntilStarted();

        FileSystemBlobTransferPolicy blobs = new FileSystemBlobTransferPolicy();
        blobs.setDefaultUploadUrl("file://var/store/activemq/blob-transfer");
        blobs.setFileSystem(fileSystem);
        // the policy's copies (one per blob message) keep this upload strategy: bodies fsynced before the send
        blobs.setUploadStrategy(new DurableBlobUploadStrategy(
            new FileSystemBlobStrategy(blobs, fileSystem, BLOB_DIRECTORIES), sync));
        connectionFactory = new ActiveMQConnectionFactory("vm://" + name + "?create=false");
        connectionFactory.setTrustAllPackages(false);
        connectionFactory.setBlobTransferPolicy(blobs);
        ActiveMQPrefetchPolicy prefetch = new ActiveMQPrefetchPolicy();
        prefetch.setQueuePrefetch(0);
        prefetch.setTopicPrefetch(0);
        connectionFactory.setPrefetchPolicy(prefetch);
    }

    public ActiveMQConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    @PreDestroy
    public void stop() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
    }
}
