package fr.mssante.operator.server;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.james.GuiceJamesServer;
import org.apache.james.modules.RunArgumentsModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.extensions.database.DatabaseSettings;
import fr.mssante.operator.extensions.database.MssDatabase;
import fr.mssante.operator.server.database.EmbeddedDatabase;
import fr.mssante.operator.server.devmode.DemoData;
import fr.mssante.operator.server.devmode.DevelopmentPki;
import fr.mssante.operator.server.devmode.WebAdminToken;
import fr.mssante.operator.server.settings.ConfigurationCheck;
import fr.mssante.operator.server.settings.InvalidConfigurationException;
import fr.mssante.operator.server.settings.ProductionSafety;
import fr.mssante.operator.server.settings.RuntimeMode;
import fr.mssante.operator.server.settings.ServerSettings;
import fr.mssante.operator.server.settings.Setting;

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

    private MssRuntime(GuiceJamesServer server, MssDatabase database, EmbeddedDatabase embedded) {
        this.server = server;
        this.database = database;
        this.embedded = embedded;
    }

    public static MssRuntime start(Path workingDirectory, ServerSettings settings, String... args) throws Exception {
        settings.publishAsSystemProperties();
        ConfigurationCheck.verify(workingDirectory.resolve("conf"));
        Path devDirectory = workingDirectory.resolve("var/dev");
        if (settings.mode() == RuntimeMode.DEVELOPMENT) {
            DevelopmentPki pki = new DevelopmentPki(devDirectory.resolve("pki"));
            pki.ensureExists();
            pki.writeListeBlanche(devDirectory.resolve("liste-blanche.xml"), settings.get(Setting.DEMO_DOMAIN));
            WebAdminToken.issue(devDirectory, "admin@" + settings.get(Setting.DEMO_DOMAIN));
        } else {
            ProductionSafety.checkKeyMaterial(settings, workingDirectory);
        }

        EmbeddedDatabase embedded = settings.usesEmbeddedDatabase()
            ? EmbeddedDatabase.start(workingDirectory.resolve("var/store"), settings.port(Setting.DB_EMBEDDED_PORT))
            : null;
        MssDatabase database = null;
        GuiceJamesServer server = null;
        try {
            DatabaseSettings databaseSettings = embedded != null ? embedded.settings()
                : new DatabaseSettings(settings.get(Setting.DB_URL), settings.get(Setting.DB_USER),
                    settings.get(Setting.DB_PASSWORD), false);
            database = MssDatabase.open(databaseSettings, 8);
            if (settings.mode() == RuntimeMode.PRODUCTION) {
                ProductionSafety.checkNoDemoData(database.dataSource());
            }
            server = MssServer.createServer(MssServer.configuration(workingDirectory), databaseSettings, database,
                    settings.trustSpace(workingDirectory), settings.outbound(workingDirectory),
                    settings.smime(workingDirectory))
                .overrideWith(new RunArgumentsModule(args));
            startNamingTheConfiguration(server);
            if (settings.mode() == RuntimeMode.DEVELOPMENT) {
                server.getProbe(DemoData.class).seed(devDirectory, settings.get(Setting.DEMO_DOMAIN));
                LOGGER.info("Development mode: demo mailboxes of {} in {}, WebAdmin token in {}", settings.get(Setting.DEMO_DOMAIN),
                    devDirectory.resolve("demo-credentials.properties"), devDirectory.resolve("webadmin.token"));
            }
            return new MssRuntime(server, database, embedded);
        } catch (Exception | Error e) {
            new MssRuntime(server, database, embedded).close();
            throw e;
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

    public GuiceJamesServer server() {
        return server;
    }

    public MssDatabase database() {
        return database;
    }

    @Override
    public void close() {
        if (server != null && server.isStarted()) {
            server.stop();
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
}
