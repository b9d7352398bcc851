package fr.mssante.operator.dmp.standin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import fr.mssante.operator.dmp.process.ParentWatch;
import fr.mssante.operator.dmp.standin.store.StandInDatabase;

/**
 * The DMP stand-in process (development and tests only):
 * {@code java -cp dmp-standin.jar:lib/* fr.mssante.operator.dmp.standin.DmpStandInMain}, configured by
 * {@code MSS_DB_*} and {@code MSS_DMP_STANDIN_*} environment variables ({@code MSS_X_FILE} reads a value from a file).
 */
public final class DmpStandInMain {
    private static final Logger LOGGER = LoggerFactory.getLogger(DmpStandInMain.class);

    private DmpStandInMain() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.startIfAsked(System.getenv(ParentWatch.VARIABLE), System.in);
        Map<String, String> env = System.getenv();
        StandInSettings settings;
        String jdbcUrl;
        try {
            jdbcUrl = args.length > 0 ? args[0] : required(env, "MSS_DB_URL");
            settings = settings(env);
        } catch (IllegalArgumentException e) {
            System.err.println("dmp-standin: " + e.getMessage());
            System.exit(2);
            return;
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(get(env, "MSS_DB_USER").orElse("mss"));
        pool.setPassword(get(env, "MSS_DB_PASSWORD").orElse(""));
        pool.setMaximumPoolSize(8);
        pool.setPoolName("dmp-standin");
        HikariDataSource dataSource = new HikariDataSource(pool);
        StandInDatabase.migrate(dataSource);
        LOGGER.info("Starting the DMP stand-in (development and tests only)");
        DmpStandIn standIn = DmpStandIn.start(settings, dataSource, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            standIn.close();
            dataSource.close();
            stopped.countDown();
        }, "dmp-standin-shutdown"));
        stopped.await();
    }

    static StandInSettings settings(Map<String, String> env) throws IOException, GeneralSecurityException {
        String bind = get(env, "MSS_DMP_STANDIN_BIND").orElse("127.0.0.1");
        int port = Integer.parseInt(get(env, "MSS_DMP_STANDIN_PORT").orElse(String.valueOf(StandInSettings.DEFAULT_PORT)));
        boolean allowHttp = Boolean.parseBoolean(get(env, "MSS_DMP_STANDIN_ALLOW_HTTP").orElse("false"));
        Optional<String> keystore = get(env, "MSS_DMP_STANDIN_KEYSTORE");
        Path clientCas = Path.of(required(env, "MSS_DMP_STANDIN_TRUSTSTORE"));
        StandInSettings.Tls tls = keystore.map(k -> new StandInSettings.Tls(Path.of(k),
            required(env, "MSS_DMP_STANDIN_KEYSTORE_PASSWORD").toCharArray(), clientCas)).orElse(null);
        Path vihfCas = get(env, "MSS_DMP_STANDIN_VIHF_CAS").map(Path::of).orElse(clientCas);
        Set<String> unknown = Arrays.stream(get(env, "MSS_DMP_STANDIN_UNKNOWN_PATIENTS").orElse("").split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        Path work = Path.of(get(env, "MSS_DMP_STANDIN_WORK_DIR").orElse("var/dmp-standin"));
        Files.createDirectories(work);
        return new StandInSettings(bind, port, tls, allowHttp, certificates(vihfCas), unknown, work);
    }

    static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                .map(X509Certificate.class::cast).toList();
        }
    }

    private static Optional<String> get(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
            return Optional.of(v.trim());
        }
        String file = env.get(name + "_FILE");
        if (file != null && !file.isBlank()) {
            try {
                return Optional.of(Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + name + "_FILE " + file + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static String required(Map<String, String> env, String name) {
        return get(env, name).orElseThrow(() -> new IllegalArgumentException(name + " is required"));
    }
}
