package fr.mssante.operator.server.wiring;

import javax.jms.ConnectionFactory;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.activemq.metric.ActiveMQMetricCollector;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;

/** James's ActiveMQ mail queue factory, making {@link ConcurrentEnqueueMailQueue}s (blob messages, as James's, on the embedded broker; bodies inline on a shared broker). */
final class ConcurrentEnqueueMailQueueFactory extends ActiveMQMailQueueFactory {
    private final ActiveMQMetricCollector collector;
    private final boolean blobBodies;

    ConcurrentEnqueueMailQueueFactory(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decorators,
                                      MetricFactory metrics, GaugeRegistry gauges, ActiveMQMetricCollector collector,
                                      boolean blobBodies) {
        super(connectionFactory, decorators, metrics, gauges, collector);
        this.collector = collector;
        this.blobBodies = blobBodies;
    }

    @Override
    protected ManageableMailQueue createCacheableMailQueue(MailQueueName name) {
        collector.collectQueueStatistics(name);
        return new ConcurrentEnqueueMailQueue(connectionFactory, mailQueueItemDecoratorFactory, name, metricFactory,
            gaugeRegistry, blobBodies);
    }
}
