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
    private final Map<String, String> properties;

    private TestServer(Path workingDirectory, MssRuntime runtime, Map<String, String> properties) {
        this.workingDirectory = workingDirectory;
        this.runtime = runtime;
        this.properties = Map.copyOf(properties);
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
        return start(workingDirectory, extraProperties, fr.mssante.operator.server.wiring.ServerClock.system());
    }

    /** Started on {@code clock} (e.g. test-support's {@code MutableClock}): the server's one clock, bound in Guice. */
    public static TestServer start(Path workingDirectory, Map<String, String> extraProperties, java.time.Clock clock)
        throws Exception {
        Path conf = workingDirectory.resolve("conf");
        if (!Files.exists(conf)) {
            copyReferenceConfiguration(conf);
        }
        Map<String, String> properties = new HashMap<>(testProperties(workingDirectory));
        properties.putAll(extraProperties);
        ServerSettings settings = ServerSettings.resolve(name -> null, properties::get);
        return new TestServer(workingDirectory, MssRuntime.start(workingDirectory, settings, clock), properties);
    }

    public static Map<String, String> testProperties(Path workingDirectory) {
        Path dev = workingDirectory.resolve("var/dev").toAbsolutePath();
        Map<String, String> properties = new HashMap<>();
        properties.put("mss.bind.address", "127.0.0.1");
        for (String port : new String[] {"mss.smtp.mx.port", "mss.submission.port", "mss.submissions.port",
            "mss.imap.port", "mss.imaps.port", "mss.webadmin.port", "mss.db.embedded.port", "mss.ldap.port", "mss.ldaps.port", "mss.oidc.dev.port",
            "mss.autoconfig.port"}) {
            properties.put(port, "0");
        }
        properties.put("mss.tls.certificate", dev.resolve("pki/server-chain.pem").toString());
        properties.put("mss.tls.privateKey", dev.resolve("pki/server-key.pem").toString());
        properties.put("mss.webadmin.jwt.publicKey", dev.resolve("webadmin-jwt-public.pem").toString());
        properties.put("mss.trust.roots", dev.resolve("pki/ca.pem").toString());
        properties.put("mss.trust.list", dev.resolve("liste-blanche.xml").toString());
        properties.put("mss.trust.crlFiles", dev.resolve("pki/ca-crl.pem").toString());
        properties.put("mss.trust.fetchCrls", "false");
        properties.put("mss.trust.ocsp", "false");
        return properties;
    }

    public static void copyReferenceConfiguration(Path target) throws IOException {
        Path reference = Path.of("..", "conf");
        Files.createDirectories(target);
        String instance = Long.toString(System.nanoTime(), 36);
        try (Stream<Path> files = Files.list(reference)) {
            for (Path file : files.toList()) {
                // several servers may run in one test JVM: their JMX names must differ
                String content = Files.readString(file, StandardCharsets.UTF_8)
                    .replaceAll("<jmxName>([^<]+)</jmxName>", "<jmxName>$1-" + instance + "</jmxName>");
                Files.writeString(target.resolve(file.getFileName()), content, StandardCharsets.UTF_8);
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

    public String property(String name) {
        return properties.get(name);
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
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(), null);
        return context;
    }

    /** A TLS context trusting the development CA and presenting the development operator certificate. */
    public SSLContext operatorTls() throws Exception {
        Path pki = workingDirectory.resolve("var/dev/pki");
        return tlsWithClientCertificate(pki.resolve("server-chain.pem"), pki.resolve("server-key.pem"));
    }

    public SSLContext tlsWithClientCertificate(Path chainPem, Path keyPem) throws Exception {
        java.util.Collection<? extends java.security.cert.Certificate> chain;
        try (InputStream in = Files.newInputStream(chainPem)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        java.security.PrivateKey key;
        try (InputStream in = Files.newInputStream(keyPem)) {
            key = fr.mssante.operator.trust.tls.PemKeyMaterial.privateKey(in);
        }
        return tlsWithClientCertificate(chain.toArray(new java.security.cert.Certificate[0]), key);
    }

    public SSLContext tlsWithClientCertificate(java.security.cert.Certificate[] chain, java.security.PrivateKey key) throws Exception {
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry("client", key, new char[0], chain);
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trustManagers(), null);
        return context;
    }

    private javax.net.ssl.TrustManager[] trustManagers() throws Exception {
        // when the server runs with another PKI (trust-space tests), trust its roots too
        String roots = properties.get("mss.trust.roots");
        return trustManagers(roots == null ? java.util.List.of(workingDirectory.resolve("var/dev/pki/ca.pem"))
            : java.util.List.of(workingDirectory.resolve("var/dev/pki/ca.pem"), Path.of(roots)));
    }

    /** A TLS client context trusting only the CAs in these PEM files. */
    public static SSLContext clientTlsTrusting(Path... caPems) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers(java.util.List.of(caPems)), null);
        return context;
    }

    private static javax.net.ssl.TrustManager[] trustManagers(java.util.List<Path> caPems) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (Path pem : caPems) {
            try (InputStream in = Files.newInputStream(pem)) {
                for (java.security.cert.Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + i++, ca);
                }
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers();
    }

    @Override
    public void close() {
        runtime.close();
    }
}
