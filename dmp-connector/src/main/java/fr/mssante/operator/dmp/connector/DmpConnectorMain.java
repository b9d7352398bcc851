package fr.mssante.operator.dmp.connector;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;

import javax.net.ssl.SSLContext;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.dmp.connector.transport.DmpTransport;
import fr.mssante.operator.dmp.connector.transport.Iti41Transport;
import fr.mssante.operator.dmp.connector.transport.TlsMaterial;
import fr.mssante.operator.dmp.connector.vihf.SigningIdentity;
import fr.mssante.operator.dmp.connector.vihf.VihfSigner;
import fr.mssante.operator.dmp.connector.xds.SubmissionMapper;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.DmpOutboxDatabase;
import fr.mssante.operator.dmp.process.ParentWatch;

/**
 * The DMP connector process: {@code java -cp dmp-connector.jar:lib/* fr.mssante.operator.dmp.connector.DmpConnectorMain
 * [jdbc-url]}, configured by {@code MSS_*} environment variables. Stops cleanly on SIGTERM/SIGINT.
 */
public final class DmpConnectorMain {
    private static final Logger LOGGER = LoggerFactory.getLogger(DmpConnectorMain.class);

    private DmpConnectorMain() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.startIfAsked(System.getenv(ParentWatch.VARIABLE), System.in);
        ConnectorSettings settings;
        try {
            settings = ConnectorSettings.fromEnvironment(System.getenv(), args.length > 0 ? args[0] : null);
        } catch (IllegalArgumentException e) {
            System.err.println("dmp-connector: " + e.getMessage());
            System.exit(2);
            return;
        }
        LOGGER.info("Starting the DMP connector: {}", settings);
        Running running = start(settings, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "dmp-connector-shutdown"));
        stopped.await();
    }

    /** Builds and starts a connector from settings; close the result to stop it and release the pool. */
    public static Running start(ConnectorSettings settings, Clock clock) throws Exception {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(settings.jdbcUrl());
        pool.setUsername(settings.dbUser());
        pool.setPassword(settings.dbPassword());
        pool.setMaximumPoolSize(settings.worker().threads() + 1);
        pool.setMinimumIdle(1);
        pool.setPoolName("dmp-connector");
        HikariDataSource dataSource = new HikariDataSource(pool);
        try {
            DmpOutboxDatabase.migrate(dataSource);
            SSLContext ssl = null;
            SigningIdentity identity;
            if (settings.keystore() == null) {
                throw new IllegalArgumentException("MSS_DMP_KEYSTORE is required to sign the VIHF");
            }
            if (settings.truststore() != null) {
                TlsMaterial tls = TlsMaterial.load(settings.keystore(), settings.keystorePassword(),
                    settings.truststore());
                ssl = tls.sslContext();
                identity = tls.signingIdentity();
            } else {
                identity = TlsMaterial.load(settings.keystore(), settings.keystorePassword(), null)
                    .signingIdentity();
            }
            DmpTransport transport = new Iti41Transport(settings.dmpUrl(), ssl, settings.connectTimeout(),
                settings.receiveTimeout());
            DmpConnector connector = new DmpConnector(new DmpOutbox(dataSource, clock, settings.retryPolicy()),
                new SubmissionMapper(settings.xds(), clock), new VihfSigner(identity, settings.vihf(), clock),
                transport, settings.worker());
            connector.start();
            return new Running(connector, dataSource);
        } catch (Exception | Error e) {
            dataSource.close();
            throw e;
        }
    }

    /** A started connector and its database pool. */
    public record Running(DmpConnector connector, HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            connector.close();
            dataSource.close();
        }
    }
}
