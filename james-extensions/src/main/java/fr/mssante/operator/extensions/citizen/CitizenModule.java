package fr.mssante.operator.extensions.citizen;

import java.time.Clock;

import javax.inject.Provider;
import javax.inject.Singleton;
import javax.sql.DataSource;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import org.apache.james.domainlist.api.DomainList;
import org.apache.mailet.MailetContext;

import fr.mssante.operator.authentication.CitizenMailboxes;
import fr.mssante.operator.citizen.CitizenSettings;
import fr.mssante.operator.extensions.audit.MessageEventLog;

/** Wires the {@link CitizenBridge} (and makes it the {@link CitizenMailboxes} of authentication). */
public class CitizenModule extends AbstractModule {
    private final CitizenSettings settings;

    public CitizenModule(CitizenSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(CitizenSettings.class).toInstance(settings);
        bind(CitizenMailboxes.class).to(CitizenBridge.class);
    }

    @Provides
    @Singleton
    CitizenBridge citizenBridge(DataSource dataSource, DomainList domains, MessageEventLog audit, Provider<MailetContext> mailetContext,
                                Clock clock) {
        return new CitizenBridge(settings, dataSource, domains, audit, mailetContext, clock);
    }
}
