package fr.mssante.operator.dmp.connector.testing;

import fr.mssante.operator.dmp.connector.ConnectorSettings;
import fr.mssante.operator.dmp.connector.DmpConnector;
import fr.mssante.operator.dmp.connector.transport.DmpTransport;
import fr.mssante.operator.dmp.connector.transport.Iti41Transport;
import fr.mssante.operator.dmp.connector.transport.TlsMaterial;
import fr.mssante.operator.dmp.connector.vihf.SigningIdentity;
import fr.mssante.operator.dmp.connector.vihf.VihfProfile;
import fr.mssante.operator.dmp.connector.vihf.VihfSigner;
import fr.mssante.operator.dmp.connector.xds.SubmissionMapper;
import fr.mssante.operator.dmp.connector.xds.XdsDefaults;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.DmpOutboxDatabase;
import fr.mssante.operator.dmp.outbox.RetryPolicy;
import fr.mssante.operator.dmp.standin.DmpStandIn;
import fr.mssante.operator.dmp.standin.StandInSettings;
import fr.mssante.operator.dmp.standin.store.StandInDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.net.ssl.SSLContext;
import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The connector's world in one JVM: an embedded PostgreSQL with the {@code dmp} and {@code dmp_standin} schemas, a
 * generated PKI, the stand-in on HTTPS with client certificates required, and connectors built like the real one.
 */
public final class FilingEnvironment implements AutoCloseable {
    public static final char[] PASSWORD = "test-only".toCharArray();
    public static final String ORGANISATION_DN =
        "CN=mss-operator.test,OU=399999999999999,O=OPERATEUR MSSANTE TEST,ST=Paris (75),C=FR";

    private final EmbeddedPostgres postgres;
    private final DataSource dataSource;
    private final Path dir;
    private final TestPki pki;
    private final TestPki.Identity organisation;
    private final SSLContext clientSsl;
    private final StandInSettings standInSettings;
    private static final java.util.concurrent.atomic.AtomicInteger DATABASES =
        new java.util.concurrent.atomic.AtomicInteger();
    private DmpStandIn standIn;
    private int port;
    private DataSource outboxDataSource;

    public FilingEnvironment(Set<String> unknownPatients) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = postgres.getPostgresDatabase();
        outboxDataSource = dataSource;
        DmpOutboxDatabase.migrate(dataSource);
        StandInDatabase.migrate(dataSource);
        dir = Files.createTempDirectory("dmp-filing");
        pki = new TestPki();
        Path caBundle = pki.writeCaBundle(dir.resolve("ca.pem"));
        Path serverP12 = pki.server().writePkcs12(dir.resolve("standin.p12"), PASSWORD);
        organisation = pki.organisation(ORGANISATION_DN);
        clientSsl = TlsMaterial.of(organisation.key(), organisation.chain(), List.of(pki.ca(), pki.root()))
            .sslContext();
        standInSettings = new StandInSettings("127.0.0.1", 0, new StandInSettings.Tls(serverP12, PASSWORD, caBundle),
            false, List.of(pki.ca()), unknownPatients, Files.createDirectories(dir.resolve("tomcat")));
        startStandIn();
    }

    /** (Re)starts the stand-in, on the same port after the first start. */
    public void startStandIn() throws Exception {
        StandInSettings s = port == 0 ? standInSettings : new StandInSettings(standInSettings.bindAddress(), port,
            standInSettings.tls(), false, standInSettings.vihfTrustedCas(), standInSettings.unknownPatients(),
            standInSettings.workDir());
        standIn = DmpStandIn.start(s, dataSource, Clock.systemUTC());
        port = standIn.port();
    }

    public void stopStandIn() {
        standIn.close();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public TestPki pki() {
        return pki;
    }

    public TestPki.Identity organisation() {
        return organisation;
    }

    public SSLContext clientSsl() {
        return clientSsl;
    }

    public URI repositoryUrl() {
        return URI.create("https://127.0.0.1:" + port + "/si-dmp-server/v2/services/repository");
    }

    public URI registryUrl() {
        return URI.create("https://127.0.0.1:" + port + "/si-dmp-server/v2/services/registry");
    }

    /** A fresh database holding only a {@code dmp} schema: each test gets an outbox of its own. */
    public DataSource newOutboxDatabase() throws java.sql.SQLException {
        String name = "outbox_" + DATABASES.incrementAndGet();
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        DataSource ds = postgres.getDatabase("postgres", name);
        DmpOutboxDatabase.migrate(ds);
        return ds;
    }

    /** Makes {@link #outbox} and {@link #connector} use this outbox database (default: the stand-in's). */
    public void useOutboxDatabase(DataSource ds) {
        this.outboxDataSource = ds;
    }

    public DmpOutbox outbox(Clock clock) {
        return new DmpOutbox(outboxDataSource, clock, RetryPolicy.DEFAULT);
    }

    public static VihfProfile profile() {
        return new VihfProfile("4.0", "INDIRECTE", "SA07^1.2.250.1.71.4.2.4", "3123456789", "mss-operator",
            "MSS operator DMP connector", "0.1.0", "", Duration.ofMinutes(5));
    }

    public DmpTransport transport() {
        return new Iti41Transport(repositoryUrl(), clientSsl, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    /**
     * A connector signing its VIHF with {@code signer} and sending through {@code wrap(transport)}. The outbox
     * runs on {@code outboxClock} (tests move it to make retries due); the VIHF uses real time, as the stand-in
     * checks it against real time.
     */
    public DmpConnector connector(Clock outboxClock, TestPki.Identity signer, UnaryOperator<DmpTransport> wrap,
                                  ConnectorSettings.Worker worker) {
        Clock real = Clock.systemUTC();
        return new DmpConnector(outbox(outboxClock), new SubmissionMapper(
            XdsDefaults.of(ConnectorSettings.DEV_SOURCE_ID), real),
            new VihfSigner(new SigningIdentity(signer.key(), signer.chain()), profile(), real),
            wrap.apply(transport()), worker);
    }

    public DmpConnector connector(Clock clock) {
        return connector(clock, organisation, t -> t, ConnectorSettings.Worker.defaults());
    }

    /** GET on the stand-in's JSON view with our client certificate. */
    public HttpResponse<String> get(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(clientSsl).connectTimeout(Duration.ofSeconds(5))
            .build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    public long storedCount(String uniqueId) throws Exception {
        try (var c = dataSource.getConnection();
             var ps = c.prepareStatement("SELECT count(*) FROM dmp_standin.document WHERE unique_id = ?")) {
            ps.setString(1, uniqueId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            standIn.close();
        } finally {
            postgres.close();
        }
    }
}
