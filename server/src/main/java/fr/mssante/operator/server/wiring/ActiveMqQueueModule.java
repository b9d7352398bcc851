package fr.mssante.operator.server.wiring;

import java.io.FileNotFoundException;

import javax.inject.Provider;
import javax.inject.Singleton;
import javax.jms.ConnectionFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQConfiguration;
import org.apache.james.queue.activemq.ActiveMQHealthCheck;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorImpl;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollectorNoop;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;
import org.apache.james.utils.PropertiesProvider;

import fr.mssante.operator.server.cluster.ClusterSettings;
import fr.mssante.operator.server.cluster.SharedQueueBroker;

/**
 * The durable mail queue: James's ActiveMQ mail queue on our {@link EmbeddedQueueBroker} (KahaDB journal synced on
 * every persistent send, so a mail acknowledged with 250 survives a {@code kill -9}).
 *
 * <p>Several nodes (MSS_QUEUE_URL, ADR 0010): the same queue module on one external ActiveMQ broker that every node
 * consumes, mail bodies inline in the JMS messages ({@link SharedQueueBroker}).
 */
public class ActiveMqQueueModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(EmbeddedQueueBroker.class).in(Scopes.SINGLETON);
        bind(ActiveMQMetricCollectorImpl.class).in(Scopes.SINGLETON);
        // one node unless MssRuntime binds the MSS_QUEUE_URL / MSS_EVENTS_URL settings over this
        bind(ClusterSettings.class).toInstance(ClusterSettings.SINGLE_NODE);
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(ActiveMQHealthCheck.class);
    }

    /** The embedded broker (one node), or the external broker every node shares (MSS_QUEUE_URL). */
    @Provides
    @Singleton
    ConnectionFactory connectionFactory(ClusterSettings cluster, Provider<EmbeddedQueueBroker> embedded) {
        return cluster.sharedQueue() ? SharedQueueBroker.connectionFactory(cluster) : embedded.get().connectionFactory();
    }

    /** The statistics of the embedded broker's plugin; an external broker is watched with its own tools. */
    @Provides
    @Singleton
    ActiveMQMetricCollector metricCollector(ClusterSettings cluster, Provider<ActiveMQMetricCollectorImpl> embedded) {
        return cluster.sharedQueue() ? new ActiveMQMetricCollectorNoop() : embedded.get();
    }

    @Provides
    @Singleton
    ActiveMQMailQueueFactory activeMqMailQueueFactory(ConnectionFactory connectionFactory,
                                                      MailQueueItemDecoratorFactory decorators, MetricFactory metrics,
                                                      GaugeRegistry gauges, ActiveMQMetricCollector collector,
                                                      ClusterSettings cluster) {
        // shared broker: bodies inline in the JMS message, never a blob file on this node's disk
        return new ConcurrentEnqueueMailQueueFactory(connectionFactory, decorators, metrics, gauges, collector,
            !cluster.sharedQueue());
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableMailQueueFactory(ActiveMQMailQueueFactory factory) {
        factory.setUseJMX(false); // queues are managed through WebAdmin; no JMX MBeans (several servers per JVM in tests)
        factory.init();
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<?> mailQueueFactory(MailQueueFactory<? extends ManageableMailQueue> factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> mailQueueFactoryOfQueues(MailQueueFactory<? extends ManageableMailQueue> factory) {
        return factory;
    }

    @Provides
    @Singleton
    ActiveMQConfiguration activeMqConfiguration(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return ActiveMQConfiguration.from(propertiesProvider.getConfigurations("activemq"));
        } catch (FileNotFoundException e) {
            return ActiveMQConfiguration.getDefault();
        }
    }

    @ProvidesIntoSet
    InitializationOperation startMetricCollector(ActiveMQMetricCollector collector) {
        return InitilizationOperationBuilder.forClass(ActiveMQMetricCollector.class).init(collector::start);
    }
}
