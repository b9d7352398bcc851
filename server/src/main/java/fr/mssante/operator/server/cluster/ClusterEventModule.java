package fr.mssante.operator.server.cluster;

import javax.inject.Provider;
import javax.inject.Singleton;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import org.apache.james.events.EventBus;
import org.apache.james.events.InVMEventBus;

/**
 * Overrides James's {@code DefaultEventModule} binding of the event bus: in-VM on one node, {@link BrokerEventBus}
 * when MSS_EVENTS_URL (or MSS_QUEUE_URL) names a broker shared by several nodes.
 */
public final class ClusterEventModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(BrokerEventBus.class).in(Scopes.SINGLETON);
    }

    @Provides
    @Singleton
    EventBus eventBus(ClusterSettings cluster, Provider<InVMEventBus> inVm, Provider<BrokerEventBus> shared) {
        return cluster.sharedEvents() ? shared.get() : inVm.get();
    }
}
