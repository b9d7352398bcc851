package fr.mssante.operator.extensions.delivery;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.inject.Singleton;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import org.apache.james.dnsservice.api.DNSService;

import fr.mssante.operator.delivery.OperatorDelivery;
import fr.mssante.operator.delivery.OutboundSettings;
import fr.mssante.operator.delivery.OutboundTrust;
import fr.mssante.operator.trust.policy.PolicyDecision;
import fr.mssante.operator.trust.space.TrustSpace;

/**
 * Outbound delivery to other operators: one {@link OperatorDelivery} (and its TLS session pool) per server, over the
 * trust space's outbound decisions and James's DNS service for the MX records.
 */
public class OutboundDeliveryModule extends AbstractModule {
    private final OutboundSettings settings;

    public OutboundDeliveryModule(OutboundSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(OutboundSettings.class).toInstance(settings);
    }

    @Provides
    @Singleton
    OperatorDelivery operatorDelivery(OutboundSettings settings, TrustSpace trustSpace, DNSService dns)
        throws IOException, GeneralSecurityException {
        OutboundTrust trust = new OutboundTrust() {
            @Override
            public PolicyDecision domain(String recipientDomain) {
                return trustSpace.outboundDomain(recipientDomain);
            }

            @Override
            public PolicyDecision peer(String recipientDomain, X509Certificate[] peerChain) {
                return trustSpace.outbound(recipientDomain, peerChain);
            }
        };
        return new OperatorDelivery(settings, trust, domain -> List.copyOf(dns.findMXRecords(domain)));
    }
}
