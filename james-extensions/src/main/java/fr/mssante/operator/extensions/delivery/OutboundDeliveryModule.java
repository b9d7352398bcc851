package fr.mssante.operator.extensions.delivery;

import java.io.IOException;
import java.security.GeneralSecurityException;

import javax.inject.Singleton;

import org.apache.james.dnsservice.api.DNSService;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

import fr.mssante.operator.extensions.trustspace.TrustSpace;

/** Outbound delivery to other operators: one {@link OperatorDelivery} (and its TLS session pool) per server. */
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
        return new OperatorDelivery(settings, trustSpace, dns);
    }
}
