package fr.mssante.operator.server;

import javax.inject.Inject;

import org.apache.james.utils.GuiceProbe;

import fr.mssante.operator.delivery.OperatorDelivery;
import fr.mssante.operator.delivery.OutboundStatistics;
import fr.mssante.operator.trust.space.TrustSpace;

/** Outbound delivery and trust-space state, for tests and tools. */
public class OutboundProbe implements GuiceProbe {
    private final OperatorDelivery delivery;
    private final TrustSpace trustSpace;

    @Inject
    public OutboundProbe(OperatorDelivery delivery, TrustSpace trustSpace) {
        this.delivery = delivery;
        this.trustSpace = trustSpace;
    }

    public OutboundStatistics statistics() {
        return delivery.statistics();
    }

    public TrustSpace trustSpace() {
        return trustSpace;
    }
}
