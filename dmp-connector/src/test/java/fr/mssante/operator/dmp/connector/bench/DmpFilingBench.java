package fr.mssante.operator.dmp.connector.bench;

import fr.mssante.operator.dmp.connector.ConnectorSettings;
import fr.mssante.operator.dmp.connector.DmpConnectorMain;
import fr.mssante.operator.dmp.connector.testing.Submissions;
import fr.mssante.operator.dmp.connector.testing.TestPki;
import fr.mssante.operator.dmp.connector.transport.TlsMaterial;
import fr.mssante.operator.dmp.outbox.DmpOutbox;
import fr.mssante.operator.dmp.outbox.DmpOutboxDatabase;
import fr.mssante.operator.dmp.outbox.OutboxState;
import fr.mssante.operator.dmp.outbox.RetryPolicy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.net.ssl.SSLContext;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * DMP filing throughput: documents filed per second from the outbox to the stand-in, stand-in in its own JVM (the
 * packaged target/dist, HTTPS with client certificate required), connector in this JVM (as DmpConnectorMain
 * starts it), embedded PostgreSQL. Run by bench/dmp/run.sh. Args: documents per run, document size (bytes),
 * thread counts.
 */
public final class DmpFilingBench {
    private static final char[] PASSWORD = "bench-only".toCharArray();

    private DmpFilingBench() {
    }

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        List<Integer> threadCounts = args.length > 2
            ? java.util.Arrays.stream(args[2].split(",")).map(Integer::parseInt).toList() : List.of(1, 4);
        Path root = Path.of(System.getProperty("mss.root", ".")).toAbsolutePath().normalize();
        Path dist = root.resolve("dmp-standin/target/dist");
        Path work = Files.createTempDirectory("dmp-bench");

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String jdbc = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
            DmpOutboxDatabase.migrate(postgres.getPostgresDatabase());
            TestPki pki = new TestPki();
            Path ca = pki.writeCaBundle(work.resolve("ca.pem"));
            pki.server().writePkcs12(work.resolve("standin.p12"), PASSWORD);
            TestPki.Identity org = pki.organisation("CN=bench.mss.test,OU=399999999999999,O=OPERATEUR BENCH,C=FR");
            org.writePkcs12(work.resolve("org.p12"), PASSWORD);
            Files.writeString(work.resolve("password"), new String(PASSWORD));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }

            ProcessBuilder pb = new ProcessBuilder("java", "-Xmx256m", "-cp",
                dist.resolve("dmp-standin.jar") + File.pathSeparator + dist.resolve("lib") + File.separator + "*",
                "fr.mssante.operator.dmp.standin.DmpStandInMain");
            Map<String, String> standInEnv = pb.environment();
            standInEnv.put("MSS_DB_URL", jdbc);
            standInEnv.put("MSS_DB_USER", "postgres");
            standInEnv.put("MSS_DMP_STANDIN_PORT", String.valueOf(port));
            standInEnv.put("MSS_DMP_STANDIN_KEYSTORE", work.resolve("standin.p12").toString());
            standInEnv.put("MSS_DMP_STANDIN_KEYSTORE_PASSWORD_FILE", work.resolve("password").toString());
            standInEnv.put("MSS_DMP_STANDIN_TRUSTSTORE", ca.toString());
            standInEnv.put("MSS_DMP_STANDIN_WORK_DIR", work.resolve("tomcat").toString());
            pb.redirectErrorStream(true).redirectOutput(work.resolve("standin.log").toFile());
            long launched = System.nanoTime();
            Process standIn = pb.start();
            try {
                SSLContext ssl = TlsMaterial.of(org.key(), org.chain(), List.of(pki.ca(), pki.root())).sslContext();
                HttpClient http = HttpClient.newBuilder().sslContext(ssl).build();
                URI documentsUri = URI.create("https://127.0.0.1:" + port + "/documents?limit=1");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(documentsUri).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                double startSeconds = (System.nanoTime() - launched) / 1e9;

                Map<String, String> env = new HashMap<>();
                env.put("MSS_DB_URL", jdbc);
                env.put("MSS_DB_USER", "postgres");
                env.put("MSS_DMP_URL", "https://127.0.0.1:" + port + "/si-dmp-server/v2/services/repository");
                env.put("MSS_DMP_KEYSTORE", work.resolve("org.p12").toString());
                env.put("MSS_DMP_KEYSTORE_PASSWORD_FILE", work.resolve("password").toString());
                env.put("MSS_DMP_TRUSTSTORE", ca.toString());
                env.put("MSS_DMP_BATCH_SIZE", "10");
                env.put("MSS_DMP_POLL_INTERVAL", "PT0.05S");
                DmpOutbox outbox = new DmpOutbox(postgres.getPostgresDatabase(), Clock.systemUTC(),
                    RetryPolicy.DEFAULT);

                javax.sql.DataSource ds = postgres.getPostgresDatabase();
                run(ds, outbox, env, 1, Math.min(200, documents), size, "warm-up");
                System.out.printf("| Stand-in JVM start (Tomcat + CXF + Camel, TLS) | %.1f s |%n", startSeconds);
                System.out.println();
                System.out.println("| Connector threads | Documents | Size | Wall time (incl. connector start) | "
                    + "Filed/s, first to last | Per document, per thread |");
                System.out.println("|---|---|---|---|---|---|");
                for (int threads : threadCounts) {
                    double[] r = run(ds, outbox, env, threads, documents, size, "run" + threads);
                    System.out.printf("| %d | %d | %d B | %.2f s | %.0f | %.1f ms |%n", threads, documents, size,
                        r[0], (documents - 1) / r[1], r[1] * 1000 * threads / documents);
                }
                long stored = outbox.countsByState().get(OutboxState.ACCEPTED);
                System.out.println();
                System.out.println("Accepted in the outbox: " + stored + "; stand-in RSS after the runs: "
                    + rss(standIn.pid()) + "; " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                    + System.getProperty("java.version"));
            } finally {
                standIn.destroy();
                standIn.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** @return wall seconds including the connector's start, and seconds from the first to the last filing */
    private static double[] run(javax.sql.DataSource ds, DmpOutbox outbox, Map<String, String> env, int threads,
                                int documents, int size, String label) throws Exception {
        long before = outbox.countsByState().get(OutboxState.ACCEPTED);
        String prefix = "1.2.250.1.213.1.1.1.55.2026.9." + (Math.abs(UUID.randomUUID().getLeastSignificantBits())
            % 1_000_000_000L);
        for (int i = 0; i < documents; i++) {
            outbox.enqueue(Submissions.crBio("<" + label + "-" + prefix + "-" + i + "@bench>", prefix + "." + i,
                Submissions.TEST_INS, size));
        }
        Map<String, String> e = new HashMap<>(env);
        e.put("MSS_DMP_THREADS", String.valueOf(threads));
        long start = System.nanoTime();
        try (DmpConnectorMain.Running running = DmpConnectorMain.start(ConnectorSettings.fromEnvironment(e, null),
            Clock.systemUTC())) {
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> outbox.countsByState().get(OutboxState.ACCEPTED) - before >= documents);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<OutboxState, Long> counts = outbox.countsByState();
        if (counts.get(OutboxState.REJECTED) + counts.get(OutboxState.FAILED) > 0) {
            throw new IllegalStateException("filing errors: " + counts);
        }
        double span;
        try (var c = ds.getConnection(); var ps = c.prepareStatement("SELECT extract(epoch FROM max(finished_at) - "
            + "min(finished_at)) FROM dmp.submission WHERE message_id LIKE ?")) {
            ps.setString(1, "<" + label + "-" + prefix + "-%");
            try (var rs = ps.executeQuery()) {
                rs.next();
                span = rs.getDouble(1);
            }
        }
        return new double[] {seconds, span};
    }

    private static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).trim()).findFirst().orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }
}
