package fr.mssante.operator.dmp.connector;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import fr.mssante.operator.dmp.connector.vihf.VihfProfile;
import fr.mssante.operator.dmp.connector.xds.ClassCodeMapping;
import fr.mssante.operator.dmp.connector.xds.CodeText;
import fr.mssante.operator.dmp.connector.xds.XdsDefaults;
import fr.mssante.operator.dmp.outbox.RetryPolicy;

/**
 * Everything the connector JVM needs, read from {@code MSS_*} environment variables (docs/features/documents-and-dmp.md
 * lists them).
 */
public record ConnectorSettings(String jdbcUrl, String dbUser, String dbPassword, URI dmpUrl, Path keystore,
                                char[] keystorePassword, Path truststore, Worker worker, RetryPolicy retryPolicy,
                                Duration connectTimeout, Duration receiveTimeout, XdsDefaults xds,
                                VihfProfile vihf) {
    public static final String DEFAULT_DMP_URL = "https://127.0.0.1:18090/si-dmp-server/v2/services/repository";
    /** A syntactically valid development OID (2.25 = UUID-derived); production sets MSS_DMP_SOURCE_ID. */
    public static final String DEV_SOURCE_ID = "2.25.300896624525366063113410434651391657321";

    /** Scheduling of the worker threads. */
    public record Worker(int threads, int batchSize, Duration pollInterval, Duration lease, Duration shutdownGrace) {
        public Worker {
            if (threads < 1 || batchSize < 1) {
                throw new IllegalArgumentException("threads and batch size must be >= 1");
            }
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        }

        public static Worker defaults() {
            return new Worker(2, 10, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(30));
        }
    }

    public ConnectorSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(dmpUrl, "dmpUrl");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        Objects.requireNonNull(xds, "xds");
        Objects.requireNonNull(vihf, "vihf");
    }

    /**
     * @param env the process environment
     * @param jdbcUrlArgument a JDBC URL given on the command line (overrides MSS_DB_URL), may be null
     */
    public static ConnectorSettings fromEnvironment(Map<String, String> env, String jdbcUrlArgument) {
        Environment e = new Environment(env);
        String jdbcUrl = jdbcUrlArgument != null ? jdbcUrlArgument : e.required("MSS_DB_URL");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("MSS_DB_URL must be a jdbc:postgresql: URL");
        }
        URI dmpUrl = URI.create(e.get("MSS_DMP_URL", DEFAULT_DMP_URL));
        boolean allowHttp = e.bool("MSS_DMP_ALLOW_HTTP", false);
        Path keystore = null;
        char[] password = null;
        Path truststore = null;
        if ("https".equalsIgnoreCase(dmpUrl.getScheme())) {
            keystore = Path.of(e.required("MSS_DMP_KEYSTORE"));
            password = e.required("MSS_DMP_KEYSTORE_PASSWORD").toCharArray();
            truststore = Path.of(e.required("MSS_DMP_TRUSTSTORE"));
        } else if ("http".equalsIgnoreCase(dmpUrl.getScheme())) {
            if (!allowHttp) {
                throw new IllegalArgumentException("MSS_DMP_URL is plain http: set MSS_DMP_ALLOW_HTTP=true (development"
                    + " only) or use https");
            }
            if (e.get("MSS_DMP_KEYSTORE").isPresent()) {
                keystore = Path.of(e.required("MSS_DMP_KEYSTORE"));
                password = e.required("MSS_DMP_KEYSTORE_PASSWORD").toCharArray();
            }
        } else {
            throw new IllegalArgumentException("MSS_DMP_URL must be https:// (or http:// in development)");
        }
        Worker worker = new Worker(e.integer("MSS_DMP_THREADS", 2, 1, 64),
            e.integer("MSS_DMP_BATCH_SIZE", 10, 1, 500),
            e.duration("MSS_DMP_POLL_INTERVAL", Duration.ofSeconds(5)),
            e.duration("MSS_DMP_LEASE", Duration.ofMinutes(5)),
            e.duration("MSS_DMP_SHUTDOWN_GRACE", Duration.ofSeconds(30)));
        RetryPolicy retry = new RetryPolicy(e.duration("MSS_DMP_RETRY_BASE", RetryPolicy.DEFAULT.base()),
            e.duration("MSS_DMP_RETRY_MAX", RetryPolicy.DEFAULT.max()),
            e.duration("MSS_DMP_MAX_AGE", RetryPolicy.DEFAULT.maxAge()));
        ClassCodeMapping classCodes = ClassCodeMapping.defaults()
            .with(e.get("MSS_DMP_CLASS_CODES", ""));
        if (e.get("MSS_DMP_DEFAULT_CLASS_CODE").isPresent()) {
            classCodes = classCodes.withDefault(CodeText.parse(e.required("MSS_DMP_DEFAULT_CLASS_CODE")));
        }
        XdsDefaults xds = new XdsDefaults(
            e.get("MSS_DMP_FACILITY_TYPE_CODE").map(CodeText::parse).orElse(XdsDefaults.FACILITY),
            e.get("MSS_DMP_PRACTICE_SETTING_CODE").map(CodeText::parse).orElse(XdsDefaults.PRACTICE),
            e.get("MSS_DMP_CONTENT_TYPE_CODE").map(CodeText::parse).orElse(XdsDefaults.CONTENT_TYPE),
            e.get("MSS_DMP_SOURCE_ID", DEV_SOURCE_ID), classCodes);
        String version = ConnectorSettings.class.getPackage().getImplementationVersion();
        VihfProfile vihf = new VihfProfile(e.get("MSS_DMP_VIHF_VERSION", "4.0"), "INDIRECTE",
            e.get("MSS_DMP_SECTEUR_ACTIVITE", "SA07^1.2.250.1.71.4.2.4"),
            e.get("MSS_DMP_STRUCTURE_ID", "development"), e.get("MSS_DMP_LPS_ID", "mss-operator"),
            e.get("MSS_DMP_LPS_NAME", "MSS operator DMP connector"),
            e.get("MSS_DMP_LPS_VERSION", version == null ? "0.1.0" : version),
            e.get("MSS_DMP_LPS_HOMOLOGATION", ""), e.duration("MSS_DMP_VIHF_VALIDITY", Duration.ofMinutes(5)));
        return new ConnectorSettings(jdbcUrl, e.get("MSS_DB_USER", "mss"), e.get("MSS_DB_PASSWORD", ""), dmpUrl,
            keystore, password, truststore, worker, retry,
            e.duration("MSS_DMP_CONNECT_TIMEOUT", Duration.ofSeconds(10)),
            e.duration("MSS_DMP_RECEIVE_TIMEOUT", Duration.ofSeconds(60)), xds, vihf);
    }

    /** No password in logs. */
    @Override
    public String toString() {
        return "ConnectorSettings[db=" + jdbcUrl + ", dmp=" + dmpUrl + ", keystore=" + keystore + ", truststore="
            + truststore + ", " + worker + ", " + retryPolicy + "]";
    }
}
