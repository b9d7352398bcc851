package fr.mssante.operator.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.james.utils.WebAdminGuiceProbe;

import fr.mssante.operator.server.ListeningPorts;
import fr.mssante.operator.server.MssRuntime;
import fr.mssante.operator.server.settings.ServerSettings;

/**
 * A real server for integration tests: the repository's reference {@code conf/} copied into a temporary working
 * directory, every port 0, the development PKI and demo data, an embedded PostgreSQL of its own. Started exactly like
 * {@code ./mss up} does ({@link MssRuntime}). {@link #shared()} is one server for the whole test JVM.
 */
public final class TestServer implements AutoCloseable {
    private static TestServer shared;

    private final Path workingDirectory;
    private final MssRuntime runtime;

    private TestServer(Path workingDirectory, MssRuntime runtime) {
        this.workingDirectory = workingDirectory;
        this.runtime = runtime;
    }

    public static synchronized TestServer shared() throws Exception {
        if (shared == null) {
            shared = start(Files.createTempDirectory("mss-it-"), Map.of());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Copies the reference configuration into {@code workingDirectory/conf} (unless present) and starts. */
    public static TestServer start(Path workingDirectory, Map<String, String> extraProperties) throws Exception {
        Path conf = workingDirectory.resolve("conf");
        if (!Files.exists(conf)) {
            copyReferenceConfiguration(conf);
        }
        Map<String, String> properties = new HashMap<>(testProperties(workingDirectory));
        properties.putAll(extraProperties);
        ServerSettings settings = ServerSettings.resolve(name -> null, properties::get);
        return new TestServer(workingDirectory, MssRuntime.start(workingDirectory, settings));
    }

    public static Map<String, String> testProperties(Path workingDirectory) {
        Path dev = workingDirectory.resolve("var/dev").toAbsolutePath();
        Map<String, String> properties = new HashMap<>();
        properties.put("mss.bind.address", "127.0.0.1");
        for (String port : new String[] {"mss.smtp.mx.port", "mss.submission.port", "mss.submissions.port",
            "mss.imap.port", "mss.imaps.port", "mss.webadmin.port", "mss.db.embedded.port"}) {
            properties.put(port, "0");
        }
        properties.put("mss.tls.certificate", dev.resolve("pki/server-chain.pem").toString());
        properties.put("mss.tls.privateKey", dev.resolve("pki/server-key.pem").toString());
        properties.put("mss.webadmin.jwt.publicKey", dev.resolve("webadmin-jwt-public.pem").toString());
        return properties;
    }

    public static void copyReferenceConfiguration(Path target) throws IOException {
        Path reference = Path.of("..", "conf");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(reference)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    public MssRuntime runtime() {
        return runtime;
    }

    public int port(String role) {
        return runtime.server().getProbe(ListeningPorts.class).port(role);
    }

    public int webAdminPort() {
        return runtime.server().getProbe(WebAdminGuiceProbe.class).getWebAdminPort().getValue();
    }

    public String webAdminToken() throws IOException {
        return Files.readString(workingDirectory.resolve("var/dev/webadmin.token"), StandardCharsets.US_ASCII).trim();
    }

    public String password(String address) throws IOException {
        Properties credentials = new Properties();
        try (Reader reader = Files.newBufferedReader(workingDirectory.resolve("var/dev/demo-credentials.properties"))) {
            credentials.load(reader);
        }
        return credentials.getProperty(address);
    }

    /** A TLS context trusting only the development CA of this server. */
    public SSLContext clientTls() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(workingDirectory.resolve("var/dev/pki/ca.pem"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        runtime.close();
    }
}
