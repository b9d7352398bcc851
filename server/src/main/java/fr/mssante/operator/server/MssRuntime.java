package fr.mssante.operator.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.google.inject.Module;
import org.apache.james.GuiceJamesServer;
import org.apache.james.modules.RunArgumentsModule;
import org.apache.james.utils.WebAdminGuiceProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.audit.AuditJournal;
import fr.mssante.operator.audit.AuditRetention;
import fr.mssante.operator.database.DatabaseSettings;
import fr.mssante.operator.database.MssDatabase;
import fr.mssante.operator.database.ScheduledRuns;
import fr.mssante.operator.directory.db.DirectoryDatabase;
import fr.mssante.operator.directory.ldap.DirectoryLdapServer;
import fr.mssante.operator.directory.ldap.LdapAuthenticator;
import fr.mssante.operator.directory.ldap.LdapServerConfig;
import fr.mssante.operator.directory.ldap.LdapTls;
import fr.mssante.operator.directory.lookup.DirectoryLookup;
import fr.mssante.operator.directory.publication.UnusedMailboxPolicy;
import fr.mssante.operator.directory.source.DownloadLimits;
import fr.mssante.operator.extensions.audit.AuditSettings;
import fr.mssante.operator.extensions.citizen.CitizenModule;
import fr.mssante.operator.extensions.imap.SearchLimits;
import fr.mssante.operator.extensions.mailbox.PublicationRoutes;
import fr.mssante.operator.register.MailboxRegistry;
import fr.mssante.operator.register.RegisterPublicationSource;
import fr.mssante.operator.server.autoconfig.ClientAutoconfiguration;
import fr.mssante.operator.server.cluster.ClusterSettings;
import fr.mssante.operator.server.database.EmbeddedDatabase;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.devmode.DevelopmentOidcIssuer;
import fr.mssante.operator.server.devmode.DevelopmentPki;
import fr.mssante.operator.server.devmode.DevelopmentSecrets;
import fr.mssante.operator.server.devmode.DmpProcesses;
import fr.mssante.operator.server.devmode.WebAdminToken;
import fr.mssante.operator.server.directory.AuditedLdapBinds;
import fr.mssante.operator.server.directory.DailyDirectoryImport;
import fr.mssante.operator.server.settings.ConfigurationCheck;
import fr.mssante.operator.server.settings.InvalidConfigurationException;
import fr.mssante.operator.server.settings.Pkcs12Identity;
import fr.mssante.operator.server.settings.PortAvailability;
import fr.mssante.operator.server.settings.ProductionSafety;
import fr.mssante.operator.server.settings.RuntimeMode;
import fr.mssante.operator.server.settings.ServerSettings;
import fr.mssante.operator.server.settings.Setting;
import fr.mssante.operator.server.supervision.RunRecords;
import fr.mssante.operator.server.wiring.ServerClock;
import fr.mssante.operator.trust.tls.PemKeyMaterial;

/**
 * One running server and what it owns, started the same way by {@code ./mss up} and by the integration tests:
 * configuration check, development material or production safety checks, the (embedded) database and its
 * migrations, the James server, the demo data.
 */
public final class MssRuntime implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(MssRuntime.class);

    private final GuiceJamesServer server;
    private final MssDatabase database;
    private final EmbeddedDatabase embedded;
    private final DirectoryLdapServer ldap;
    private DailyDirectoryImport directoryImport;
    private DevelopmentOidcIssuer oidcIssuer;
    private ClientAutoconfiguration autoconfiguration;
    private DmpProcesses dmpProcesses;
    private DatabaseSettings databaseSettings;
    private ScheduledExecutorService depublication;
    private ScheduledExecutorService auditRetention;
    private List<RunRecords.Service> services = List.of();
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    private MssRuntime(GuiceJamesServer server, MssDatabase database, EmbeddedDatabase embedded, DirectoryLdapServer ldap) {
        this.server = server;
        this.database = database;
        this.embedded = embedded;
        this.ldap = ldap;
    }

    public static MssRuntime start(Path workingDirectory, ServerSettings configured, String... args) throws Exception {
        return start(workingDirectory, configured, ServerClock.system(), args);
    }

    /** Started on {@code clock}: the one clock of the server (bound in Guice, given to the daily jobs). */
    public static MssRuntime start(Path workingDirectory, ServerSettings configured, Clock clock, String... args)
        throws Exception {
        ServerSettings settings = Pkcs12Identity.convertIfNeeded(configured, workingDirectory);
        if (settings.mode() == RuntimeMode.DEVELOPMENT && settings.get(Setting.SMIME_MASTER_KEY).isEmpty()) {
            settings = settings.with(Setting.SMIME_MASTER_KEY, DevelopmentSecrets.smimeMasterKey(workingDirectory.resolve("var/dev")));
        }
        if (settings.mode() == RuntimeMode.DEVELOPMENT && settings.get(Setting.AUDIT_HASH_KEY).isEmpty()) {
            settings = settings.with(Setting.AUDIT_HASH_KEY, DevelopmentSecrets.auditHashKey(workingDirectory.resolve("var/dev")));
        }
        AuditSettings audit = settings.audit();
        settings.publishAsSystemProperties();
        // the embedded PostgreSQL's port is not probed: a PostgreSQL of ours left running by a kill -9 of this JVM holds
        // it, and EmbeddedDatabase stops that one before starting (a crash must not stop the restart)
        PortAvailability.requireFree(settings.listeners().stream()
            .filter(listener -> listener.port() != Setting.DB_EMBEDDED_PORT).toList());
        ConfigurationCheck.verify(workingDirectory.resolve("conf"));
        Path devDirectory = workingDirectory.resolve("var/dev");
        if (settings.mode() == RuntimeMode.DEVELOPMENT) {
            DevelopmentPki pki = new DevelopmentPki(devDirectory.resolve("pki"), clock);
            pki.ensureExists();
            pki.writeListeBlanche(devDirectory.resolve("liste-blanche.xml"), settings.get(Setting.DEMO_DOMAIN));
            WebAdminToken.issue(devDirectory, "admin@" + settings.get(Setting.DEMO_DOMAIN), clock);
        } else {
            ProductionSafety.checkKeyMaterial(settings, workingDirectory);
        }

        DevelopmentOidcIssuer oidcIssuer = null;
        if (settings.mode() == RuntimeMode.DEVELOPMENT && settings.get(Setting.OIDC_ISSUER).isEmpty()) {
            oidcIssuer = DevelopmentOidcIssuer.start(settings.get(Setting.BIND_ADDRESS), settings.port(Setting.OIDC_DEV_PORT),
                devDirectory, clock);
            settings = settings.with(Setting.OIDC_ISSUER, oidcIssuer.issuer())
                .with(Setting.OIDC_JWKS_URL, oidcIssuer.jwksUrl())
                .with(Setting.OIDC_AUDIENCE, DevelopmentOidcIssuer.AUDIENCE);
        }
        EmbeddedDatabase embedded = settings.usesEmbeddedDatabase()
            ? EmbeddedDatabase.start(workingDirectory.resolve("var/store"), settings.port(Setting.DB_EMBEDDED_PORT),
                settings.synchronousCommit())
            : null;
        RunRecords records = new RunRecords(workingDirectory.resolve("var/run"));
        MssDatabase database = null;
        GuiceJamesServer server = null;
        DirectoryLdapServer ldap = null;
        DmpProcesses dmpProcesses = null;
        try {
            if (embedded != null) {
                recordPostgres(records, embedded);
            }
            DatabaseSettings databaseSettings = embedded != null ? embedded.settings()
                : new DatabaseSettings(settings.get(Setting.DB_URL), settings.get(Setting.DB_USER),
                    settings.get(Setting.DB_PASSWORD), false);
            database = MssDatabase.open(databaseSettings, 8);
            DirectoryDatabase.migrate(database.dataSource());
            if (settings.mode() == RuntimeMode.PRODUCTION) {
                ProductionSafety.checkNoDemoData(database.dataSource());
            }
            if (settings.mode() == RuntimeMode.DEVELOPMENT) {
                // their JVMs start while James starts (a restart after a crash is on the clock); awaited below
                dmpProcesses = DmpProcesses.launchIfBuilt(workingDirectory, devDirectory, workingDirectory.resolve("var/log"),
                    databaseSettings, settings.port(Setting.DMP_STANDIN_PORT), Map.of()).orElse(null);
                if (dmpProcesses != null) {
                    for (var child : dmpProcesses.processes().entrySet()) {
                        records.recordProcess(child.getKey(), child.getValue().pid(), dmpProcesses.marker(child.getKey()));
                    }
                }
            }
            var unusedMailboxPolicy = settings.unusedMailboxPolicy();
            ClusterSettings cluster = settings.cluster();
            LOGGER.info("Node {}: mail queue on {}, mailbox events {}", cluster.nodeName(),
                cluster.queueUrl().orElse("the embedded broker"), cluster.eventsUrl().map(url -> "shared on " + url).orElse("in this JVM"));
            ScheduledRuns runs =
                new ScheduledRuns(database.dataSource(), cluster.nodeName());
            server = MssServer.createServer(MssServer.configuration(workingDirectory), databaseSettings, database,
                    settings.trustSpace(workingDirectory), settings.outbound(workingDirectory),
                    settings.smime(workingDirectory), settings.authentication(), settings.virusScanner(),
                    settings.insEnvironment())
                .overrideWith(new RunArgumentsModule(args), directoryDownloads(settings.directoryDownloadLimits()),
                    searchLimitsModule(settings.searchLimits()), new ServerClock(clock),
                    binder -> binder.bind(UnusedMailboxPolicy.class)
                        .toInstance(unusedMailboxPolicy),
                    binder -> binder.bind(AuditSettings.class).toInstance(audit),
                    new CitizenModule(settings.citizen()),
                    binder -> binder.bind(ClusterSettings.class).toInstance(cluster));
            startNamingTheConfiguration(server);
            if (settings.mode() == RuntimeMode.DEVELOPMENT) {
                server.getProbe(DemoData.class).seed(devDirectory, settings.get(Setting.DEMO_DOMAIN));
                server.getProbe(DemoData.class).seedRegister(devDirectory, settings.get(Setting.DEMO_DOMAIN),
                    new DevelopmentPki(devDirectory.resolve("pki"), clock).clientIdentity("laboratoire",
                        "CN=laboratoire.resultats@" + settings.get(Setting.DEMO_DOMAIN) + ", OU=" + DemoData.LAB_STRUCTURE_ID
                            + ", O=" + DevelopmentPki.DEVELOPMENT_MARKER + ", C=FR"));
                // citizen messaging (contract B): the patient domain, demo citizens, the health space's certificate
                server.getProbe(DemoData.class).seedCitizens(devDirectory, ServerSettings.DEVELOPMENT_PATIENT_DOMAIN,
                    settings.get(Setting.DEMO_DOMAIN));
                new DevelopmentPki(devDirectory.resolve("pki"), clock).pkcs12Identity("health-space",
                    "C=FR, O=" + DevelopmentPki.DEVELOPMENT_MARKER + ", CN=health-space", false); // = DEVELOPMENT_HEALTH_SPACE_DN (RFC 2253 lists it reversed)
                LOGGER.info("Development mode: demo mailboxes of {} in {}, WebAdmin token in {}", settings.get(Setting.DEMO_DOMAIN),
                    devDirectory.resolve("demo-credentials.properties"), devDirectory.resolve("webadmin.token"));
            }
            ldap = startDirectoryLdap(settings, database, server.getProbe(AuditProbe.class).journal());
            MssRuntime runtime = new MssRuntime(server, database, embedded, ldap);
            runtime.oidcIssuer = oidcIssuer;
            runtime.databaseSettings = databaseSettings;
            runtime.shutdownTimeout = settings.shutdownTimeout();
            runtime.depublication = scheduleDailyDepublication(database, settings.unusedMailboxPolicy(), clock, runs);
            runtime.auditRetention = scheduleDailyAuditRetention(server.getProbe(AuditProbe.class).retention(), clock, runs);
            runtime.autoconfiguration = ClientAutoconfiguration.start(settings, server.getProbe(DemoData.class).domains(),
                server.getProbe(ListeningPorts.class)::port);
            runtime.dmpProcesses = dmpProcesses;
            if (dmpProcesses != null) {
                dmpProcesses.awaitStandIn();
                LOGGER.info("DMP stand-in on {} and DMP connector started", dmpProcesses.standInUrl());
            }
            runtime.services = startedServices(settings, server, ldap, runtime.autoconfiguration, oidcIssuer, runtime.dmpProcesses);
            records.writeServices(runtime.services);
            List<String> sources = Stream.of(settings.get(Setting.DIRECTORY_SOURCES).split(","))
                .map(String::trim).filter(source -> !source.isEmpty()).toList();
            if (!sources.isEmpty()) {
                runtime.directoryImport = DailyDirectoryImport.start(database.dataSource(), sources,
                    settings.time(Setting.DIRECTORY_IMPORT_TIME), settings.directoryDownloadLimits(), clock, runs);
            }
            return runtime;
        } catch (Exception | Error e) {
            if (dmpProcesses != null) {
                dmpProcesses.close();
            }
            if (oidcIssuer != null) {
                oidcIssuer.close();
            }
            new MssRuntime(server, database, embedded, ldap).close();
            throw e;
        }
    }

    /** Exactly the TCP services this runtime started (and so what {@code ./mss status} must find listening). */
    private static List<RunRecords.Service> startedServices(ServerSettings settings, GuiceJamesServer server,
                                                            DirectoryLdapServer ldap, ClientAutoconfiguration autoconfiguration,
                                                            DevelopmentOidcIssuer oidcIssuer, DmpProcesses dmpProcesses) {
        String host = reachable(settings.get(Setting.BIND_ADDRESS));
        List<RunRecords.Service> services = new ArrayList<>();
        server.getProbe(ListeningPorts.class).byRole()
            .forEach((role, port) -> services.add(new RunRecords.Service(role, host, port)));
        if (ldap != null) {
            services.add(new RunRecords.Service("ldap", host, ldap.port()));
            ldap.ldapsPort().ifPresent(port -> services.add(new RunRecords.Service("ldaps", host, port)));
        }
        if (autoconfiguration != null) {
            services.add(new RunRecords.Service("autoconfig", host, autoconfiguration.port()));
        }
        if (oidcIssuer != null) {
            services.add(new RunRecords.Service("oidc-dev", host, oidcIssuer.port()));
        }
        if (dmpProcesses != null) {
            services.add(new RunRecords.Service("dmp-standin", "127.0.0.1", dmpProcesses.standInPort()));
        }
        services.add(new RunRecords.Service("webadmin", reachable(settings.get(Setting.WEBADMIN_HOST)),
            server.getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue()));
        return List.copyOf(services);
    }

    private static String reachable(String bindAddress) {
        return bindAddress.equals("0.0.0.0") || bindAddress.isBlank() ? "127.0.0.1" : bindAddress.equals("::") ? "::1" : bindAddress;
    }

    /** The TCP services this runtime started. */
    public List<RunRecords.Service> services() {
        return services;
    }

    /** The embedded PostgreSQL runs outside this JVM: recorded at once for a supervisor (var/run/procs). */
    private static void recordPostgres(RunRecords records, EmbeddedDatabase embedded) throws IOException {
        var pid = embedded.postmasterPid();
        if (pid.isPresent()) {
            records.recordProcess("postgres", pid.getAsLong(), embedded.postmasterMarker());
        }
    }

    /** James's own configuration errors rarely say which file they come from: name it from the failing component. */
    private static void startNamingTheConfiguration(GuiceJamesServer server) throws Exception {
        try {
            server.start();
        } catch (Exception e) {
            String file = ConfigurationCheck.fileOf(e).map(name -> " while reading conf/" + name).orElse("");
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new InvalidConfigurationException("Start-up failed" + file + ": " + root.getMessage(), e);
        }
    }

    /**
     * The national directory over LDAP for mail clients: anonymous on loopback in development; in production only
     * with a bind password (MSS_LDAP_BIND_DN / MSS_LDAP_BIND_PASSWORD), otherwise not started.
     */
    private static DirectoryLdapServer startDirectoryLdap(ServerSettings settings, MssDatabase database,
                                                          AuditJournal audit) throws Exception {
        String password = settings.get(Setting.LDAP_BIND_PASSWORD);
        LdapServerConfig config;
        if (settings.mode() == RuntimeMode.DEVELOPMENT) {
            config = new LdapServerConfig(settings.get(Setting.BIND_ADDRESS), settings.port(Setting.LDAP_PORT),
                settings.get(Setting.LDAP_BASE_DN), true, 200, null,
                new AuditedLdapBinds(password.isEmpty() ? LdapAuthenticator.NOBODY
                    : LdapAuthenticator.single(settings.get(Setting.LDAP_BIND_DN), password), audit));
        } else if (!password.isEmpty()) {
            config = new LdapServerConfig(settings.get(Setting.BIND_ADDRESS), settings.port(Setting.LDAP_PORT),
                settings.get(Setting.LDAP_BASE_DN), false, 200, null,
                new AuditedLdapBinds(
                    LdapAuthenticator.single(settings.get(Setting.LDAP_BIND_DN), password), audit));
        } else {
            LOGGER.info("Directory LDAP not started: production needs MSS_LDAP_BIND_PASSWORD");
            return null;
        }
        // LDAPS (implicit TLS) with the server's identity, plus StartTLS on the plain port; binds only over TLS
        try (InputStream chain = Files.newInputStream(Path.of(settings.get(Setting.TLS_CERTIFICATE)));
             InputStream key = Files.newInputStream(Path.of(settings.get(Setting.TLS_PRIVATE_KEY)))) {
            config = config.withTls(LdapTls.of(LdapTls.fromKeyManagers(
                PemKeyMaterial.keyManagers(chain, key)), settings.port(Setting.LDAPS_PORT)));
        }
        config = config.withLimits(settings.ldapLimits());
        DirectoryLdapServer ldap = new DirectoryLdapServer(config, new DirectoryLookup(database.dataSource()));
        ldap.start();
        LOGGER.info("Directory LDAP on {}:{} (LDAPS {})", config.bindAddress(), ldap.port(), ldap.ldapsPort());
        return ldap;
    }

    /** The LDAPS port, when the directory LDAP server runs. */
    public OptionalInt ldapsPort() {
        return ldap == null ? OptionalInt.empty() : ldap.ldapsPort();
    }

    /** The LDAP port, when the directory LDAP server runs. */
    public OptionalInt ldapPort() {
        return ldap == null ? OptionalInt.empty() : OptionalInt.of(ldap.port());
    }

    public GuiceJamesServer server() {
        return server;
    }

    public MssDatabase database() {
        return database;
    }

    /**
     * Dépublication of mailboxes unused for the policy's period (MSS_DIRECTORY_DEPUBLISH_AFTER, 12 months), every day
     * at 04:30 Paris time; each change is audited in the mailbox history.
     */
    private static ScheduledExecutorService scheduleDailyDepublication(MssDatabase database,
        UnusedMailboxPolicy policy, Clock clock,
        ScheduledRuns runs) {
        return scheduleDaily("depublication", LocalTime.of(4, 30), clock, runs, () -> {
            var applied = PublicationRoutes.apply(
                new MailboxRegistry(database.dataSource(), clock),
                new RegisterPublicationSource(database.dataSource()),
                policy, clock);
            LOGGER.info("Dépublication: {} mailbox(es) withdrawn from the national directory", applied.size());
        });
    }

    /**
     * The audit trail's retention (MSS_AUDIT_RETENTION), every day at 04:45 Paris time: rows older than the period are
     * deleted and the run writes its own AUDIT_RETENTION row (how many).
     */
    private static ScheduledExecutorService scheduleDailyAuditRetention(
        AuditRetention retention, Clock clock,
        ScheduledRuns runs) {
        return scheduleDaily("audit-retention", LocalTime.of(4, 45), clock, runs, retention::run);
    }

    /**
     * A daily job at a Paris time on its own daemon thread; a failure is logged and the job runs again the next day.
     * With several nodes (issue 18) each day's run is claimed in {@code scheduled_run}: one node runs it.
     */
    private static ScheduledExecutorService scheduleDaily(String name, LocalTime at,
                                                                               Clock clock,
                                                                               ScheduledRuns runs,
                                                                               DailyJob job) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneId.of("Europe/Paris")));
        ZonedDateTime next = now.toLocalDate().atTime(at).atZone(now.getZone());
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        scheduler.scheduleAtFixedRate(() -> {
            try {
                if (runs.claim(name, ScheduledRuns.daily(
                    LocalDate.now(clock.withZone(ZoneId.of("Europe/Paris")))))) {
                    job.run();
                } else {
                    LOGGER.info("Daily job {}: today's run is another node's", name);
                }
            } catch (Exception e) {
                LOGGER.error("Daily job {} failed; it runs again tomorrow", name, e);
            }
        }, Duration.between(now, next).toMinutes(), TimeUnit.DAYS.toMinutes(1),
            TimeUnit.MINUTES);
        return scheduler;
    }

    @FunctionalInterface
    private interface DailyJob {
        void run() throws Exception;
    }

    /** How to reach the database (child processes such as the DMP connector). */
    public DatabaseSettings databaseSettings() {
        return databaseSettings;
    }

    /** The development OIDC issuer, when this runtime started one. */
    public Optional<DevelopmentOidcIssuer> oidcIssuer() {
        return Optional.ofNullable(oidcIssuer);
    }

    public Optional<ClientAutoconfiguration> autoconfiguration() {
        return Optional.ofNullable(autoconfiguration);
    }

    private static Module searchLimitsModule(SearchLimits limits) {
        return binder -> binder.bind(SearchLimits.class).toInstance(limits);
    }

    /**
     * James's stop, bounded by MSS_SHUTDOWN_TIMEOUT: whatever a listener or a mailet is stuck in, the database and the
     * embedded PostgreSQL are still closed and the JVM can exit (issue 12: {@code ./mss down} waited forever).
     */
    private void stopBounded(GuiceJamesServer james) {
        Thread stopping = new Thread(james::stop, "mss-james-stop");
        stopping.setDaemon(true);
        stopping.start();
        try {
            stopping.join(shutdownTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.isAlive()) {
            LOGGER.warn("James did not stop within {}; closing the rest anyway", shutdownTimeout);
        }
    }

    @Override
    public void close() {
        if (depublication != null) {
            depublication.shutdownNow();
        }
        if (auditRetention != null) {
            auditRetention.shutdownNow();
        }
        if (dmpProcesses != null) {
            dmpProcesses.close();
        }
        if (autoconfiguration != null) {
            autoconfiguration.close();
        }
        if (oidcIssuer != null) {
            oidcIssuer.close();
        }
        if (directoryImport != null) {
            directoryImport.close();
        }
        if (ldap != null) {
            ldap.close();
        }
        if (server != null && server.isStarted()) {
            stopBounded(server);
        }
        if (database != null) {
            database.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOGGER.warn("Embedded PostgreSQL did not stop cleanly", e);
            }
        }
        LOGGER.info("MSS server stopped");
    }

    /** The directory download bounds (MSS_DIRECTORY_DOWNLOAD_MAX_BYTES) for the console's "import now". */
    private static Module directoryDownloads(DownloadLimits limits) {
        return binder -> binder.bind(DownloadLimits.class).toInstance(limits);
    }
}
