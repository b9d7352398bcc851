package fr.mssante.operator.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import javax.inject.Provider;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.util.Modules;
import org.apache.james.ExtraProperties;
import org.apache.james.GuiceJamesServer;
import org.apache.james.NaiveDelegationStoreModule;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServerFactory;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.modules.MailboxModule;
import org.apache.james.modules.MailetProcessingModule;
import org.apache.james.modules.mailbox.DefaultEventModule;
import org.apache.james.modules.mailbox.MemoryDeadLetterModule;
import org.apache.james.modules.protocols.IMAPServerModule;
import org.apache.james.modules.protocols.ProtocolHandlerModule;
import org.apache.james.modules.protocols.SMTPServerModule;
import org.apache.james.modules.server.DataRoutesModules;
import org.apache.james.modules.server.DefaultProcessorsConfigurationProviderModule;
import org.apache.james.modules.server.InconsistencyQuotasSolvingRoutesModule;
import org.apache.james.modules.server.MailQueueRoutesModule;
import org.apache.james.modules.server.MailRepositoriesRoutesModule;
import org.apache.james.modules.server.MailboxRoutesModule;
import org.apache.james.modules.server.NoJwtModule;
import org.apache.james.modules.server.RawPostDequeueDecoratorModule;
import org.apache.james.modules.server.SieveRoutesModule;
import org.apache.james.modules.server.TaskManagerModule;
import org.apache.james.modules.server.WebAdminServerModule;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.apache.james.utils.GuiceProbe;
import org.apache.james.webadmin.mdc.RequestLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.audit.metrics.MessageMetrics;
import fr.mssante.operator.authentication.AuthenticationSettings;
import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.database.MssDatabase;
import fr.mssante.operator.delivery.OutboundSettings;
import fr.mssante.operator.documents.antivirus.VirusScanner;
import fr.mssante.operator.documents.ins.Environment;
import fr.mssante.operator.extensions.antivirus.AntivirusModule;
import fr.mssante.operator.extensions.audit.AuditModule;
import fr.mssante.operator.extensions.authentication.AuthenticationModule;
import fr.mssante.operator.extensions.database.MssDatabaseModule;
import fr.mssante.operator.extensions.delivery.OutboundDeliveryModule;
import fr.mssante.operator.extensions.directory.DirectoryModule;
import fr.mssante.operator.extensions.dmp.DmpModule;
import fr.mssante.operator.extensions.imap.OtherUsersMailboxRefusal;
import fr.mssante.operator.extensions.imap.RequestCancellation;
import fr.mssante.operator.extensions.smime.SmimeModule;
import fr.mssante.operator.extensions.tls.ClientCertificateRequestingImapServerFactory;
import fr.mssante.operator.extensions.trustspace.ClientCertificateRequestingSmtpServerFactory;
import fr.mssante.operator.extensions.trustspace.TrustSpaceModule;
import fr.mssante.operator.extensions.webadmin.BodylessRequestLogger;
import fr.mssante.operator.server.cluster.ClusterEventModule;
import fr.mssante.operator.server.database.EmbeddedDatabase;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.settings.ServerSettings;
import fr.mssante.operator.server.supervision.RunRecords;
import fr.mssante.operator.server.wiring.ActiveMqQueueModule;
import fr.mssante.operator.server.wiring.JpaDataModule;
import fr.mssante.operator.server.wiring.JpaMailboxModule;
import fr.mssante.operator.server.wiring.JpaStorageModule;
import fr.mssante.operator.smime.SmimeSettings;
import fr.mssante.operator.trust.space.TrustSpaceSettings;

/**
 * The operator mail server: James 3.8.1 (SMTP, IMAP, WebAdmin, mailet container) on PostgreSQL through JPA, with an
 * embedded ActiveMQ/KahaDB mail queue, plus our extensions. {@link #createServer} is the production wiring that the
 * integration tests reuse; {@link #main} adds what a real start needs (settings, embedded database, development
 * material, production safety checks, the readiness marker).
 */
public final class MssServer {
    private static final Logger LOGGER = LoggerFactory.getLogger(MssServer.class);

    /** James's SMTP listeners, made able to request client certificates (trust space, SASL EXTERNAL). */
    static final Module PROTOCOLS = Modules.combine(
        new ProtocolHandlerModule(),
        Modules.override(new SMTPServerModule()).with(binder -> binder.bind(SMTPServerFactory.class)
            .to(ClientCertificateRequestingSmtpServerFactory.class).in(Scopes.SINGLETON)),
        Modules.override(new IMAPServerModule()).with(new AbstractModule() {
            @Override
            protected void configure() {
                // other users' mailboxes (#user...) refused first, then read-only delegates' writes
                bind(ImapProcessor.class).to(OtherUsersMailboxRefusal.class);
            }

            @Provides
            @Singleton
            IMAPServerFactory requestingClientCertificates(FileSystem fileSystem, Provider<ImapDecoder> decoder,
                                                           Provider<ImapEncoder> encoder, Provider<ImapProcessor> processor,
                                                           MetricFactory metricFactory, GaugeRegistry gaugeRegistry,
                                                           RequestCancellation cancellation,
                                                           MessageMetrics handshakes) {
                return new ClientCertificateRequestingImapServerFactory(fileSystem, decoder, encoder, processor, metricFactory,
                    gaugeRegistry, cancellation, handshakes);
            }
        }));

    static final Module WEBADMIN = Modules.combine(
        new WebAdminServerModule(),
        new NoJwtModule(),
        new DataRoutesModules(),
        new SieveRoutesModule(),
        new MailboxRoutesModule(),
        new InconsistencyQuotasSolvingRoutesModule(),
        new MailQueueRoutesModule(),
        new MailRepositoriesRoutesModule(),
        // request bodies never read by the request log (secrets; chunked bodies would be consumed)
        binder -> Multibinder.newSetBinder(binder, RequestLogger.class).addBinding().to(BodylessRequestLogger.class));

    static final Module STORAGE = Modules.combine(
        new JpaStorageModule(),
        new JpaDataModule(),
        new JpaMailboxModule(),
        new MailboxModule(),
        new ActiveMqQueueModule(),
        // in-VM events on one node; shared with the other nodes over the broker when MSS_EVENTS_URL/MSS_QUEUE_URL is set
        Modules.override(new DefaultEventModule()).with(new ClusterEventModule()),
        new MemoryDeadLetterModule(),
        new NaiveDelegationStoreModule());

    static final Module MAIL_PROCESSING = Modules.combine(
        new MailetProcessingModule(),
        new DefaultProcessorsConfigurationProviderModule(),
        new RawPostDequeueDecoratorModule(),
        new TaskManagerModule());

    static final Module PROBES = binder -> {
        Multibinder<GuiceProbe> probes = Multibinder.newSetBinder(binder, GuiceProbe.class);
        probes.addBinding().to(DemoData.class);
        probes.addBinding().to(ListeningPorts.class);
        probes.addBinding().to(OutboundProbe.class);
        probes.addBinding().to(AuditProbe.class);
    };

    private MssServer() {
    }

    /** The server wiring, reading {@code conf/} from {@code workingDirectory}, on an opened and migrated database. */
    public static GuiceJamesServer createServer(Configuration configuration, DatabaseSettings databaseSettings,
                                                MssDatabase database, TrustSpaceSettings trustSpace,
                                                OutboundSettings outbound, SmimeSettings smime,
                                                AuthenticationSettings authentication,
                                                Optional<VirusScanner> virusScanner,
                                                Environment insEnvironment) {
        return GuiceJamesServer.forConfiguration(configuration)
            .combineWith(PROTOCOLS, WEBADMIN, STORAGE, MAIL_PROCESSING, PROBES,
                new MssDatabaseModule(databaseSettings, database),
                new TrustSpaceModule(trustSpace),
                new OutboundDeliveryModule(outbound),
                new SmimeModule(smime),
                new DirectoryModule(),
                new AuthenticationModule(authentication),
                new AntivirusModule(virusScanner),
                new DmpModule(insEnvironment),
                new AuditModule());
    }

    public static Configuration configuration(Path workingDirectory) {
        return Configuration.builder()
            .workingDirectory(workingDirectory.toFile())
            .configurationPath(new Configuration.ConfigurationPath(FileSystem.FILE_PROTOCOL_AND_CONF))
            .build();
    }

    public static void main(String[] args) throws Exception {
        Path workingDirectory = Path.of(System.getProperty(Configuration.WORKING_DIRECTORY, ".")).toAbsolutePath().normalize();
        System.setProperty(Configuration.WORKING_DIRECTORY, workingDirectory.toString());
        Path readyMarker = workingDirectory.resolve("var/run/server.ready");
        MssRuntime runtime;
        try {
            ExtraProperties.initialize();
            // the shutdown hook below stops the embedded PostgreSQL after everything that uses it
            EmbeddedDatabase.stopAtJvmExit(false);
            runtime = MssRuntime.start(workingDirectory, ServerSettings.fromEnvironment(workingDirectory.resolve("conf")), args);
        } catch (Exception e) {
            LOGGER.error("Start-up failed: {}", e.getMessage(), e);
            System.err.println("mss: start-up failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        RunRecords records = new RunRecords(readyMarker.getParent());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(readyMarker);
                records.forgetServices();
            } catch (IOException e) {
                LOGGER.warn("Cannot remove {}", readyMarker, e);
            }
            runtime.close();
            try {
                for (String role : new String[] {"dmp-standin", "dmp-connector", "postgres"}) {
                    records.forgetProcess(role);
                }
            } catch (IOException e) {
                LOGGER.warn("Cannot clean {}", records.processes(), e);
            }
        }, "mss-shutdown"));
        Files.createDirectories(readyMarker.getParent());
        // for ./mss: the processes and the services it started are recorded in var/run by MssRuntime; now "ready"
        Files.writeString(readyMarker, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        LOGGER.info("MSS server ready: {}", runtime.server().getProbe(ListeningPorts.class).byRole());
    }
}
