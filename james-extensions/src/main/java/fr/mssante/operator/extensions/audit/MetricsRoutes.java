package fr.mssante.operator.extensions.audit;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import javax.inject.Inject;
import javax.sql.DataSource;

import com.codahale.metrics.MetricRegistry;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.webadmin.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Service;

import fr.mssante.operator.audit.metrics.MessageMetrics;
import fr.mssante.operator.audit.metrics.PrometheusText;

/**
 * {@code GET /mss/metrics} on WebAdmin: Prometheus text format 0.0.4 (contract A). Message counters, the delivery
 * latency histogram and TLS handshakes come from memory ({@link MessageMetrics}, fed as events are audited); queue
 * sizes, DMP outbox states and certificate expiries are read when scraped (a few small queries, never per message).
 */
public class MetricsRoutes implements Routes {
    static final String PATH = "/mss/metrics";
    /** The system property holding the server certificate chain (MSS_TLS_CERTIFICATE). */
    static final String SERVER_CERTIFICATE_PROPERTY = "mss.tls.certificate";
    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsRoutes.class);

    private final MessageMetrics metrics;
    private final MailQueueFactory<? extends ManageableMailQueue> queues;
    private final DataSource dataSource;
    private final MetricRegistry james;
    private final Clock clock;

    @Inject
    public MetricsRoutes(MessageMetrics metrics, MailQueueFactory<? extends ManageableMailQueue> queues, DataSource dataSource,
                         MetricRegistry james, Clock clock) {
        this.clock = clock;
        this.metrics = metrics;
        this.queues = queues;
        this.dataSource = dataSource;
        this.james = james;
    }

    @Override
    public String getBasePath() {
        return PATH;
    }

    @Override
    public void define(Service service) {
        service.get(PATH, (request, response) -> {
            response.type(PrometheusText.CONTENT_TYPE);
            return scrape();
        });
    }

    String scrape() {
        PrometheusText text = new PrometheusText();
        metrics.writeTo(text);
        text.family("mss_queue_size", "gauge", "Mails waiting in each mail queue");
        for (MailQueueName name : queues.listCreatedMailQueues().stream()
            .sorted(Comparator.comparing(MailQueueName::asString)).toList()) {
            queues.getQueue(name).ifPresent(queue -> {
                try {
                    text.sample("mss_queue_size", Map.of("queue", name.asString()), queue.getSize());
                } catch (Exception e) {
                    LOGGER.warn("Cannot read the size of queue {}", name.asString(), e);
                }
            });
        }
        text.family("mss_dmp_outbox", "gauge", "DMP outbox submissions by state");
        Map<String, Long> states = new TreeMap<>();
        for (String state : new String[] {"QUEUED", "SENDING", "ACCEPTED", "REJECTED", "FAILED"}) {
            states.put(state, 0L);
        }
        query("SELECT state, count(*) FROM dmp.submission GROUP BY state", (name, value) -> states.put(name, value));
        states.forEach((state, count) -> text.sample("mss_dmp_outbox", Map.of("state", state.toLowerCase(Locale.ROOT)), count));
        text.family("mss_certificate_expiry_seconds", "gauge",
            "Seconds until each certificate expires (negative: expired): the server's, then each S/MIME key's");
        Map<String, Long> expiries = new LinkedHashMap<>();
        serverCertificateExpiry().ifPresent(seconds -> expiries.put("server", seconds));
        query("SELECT 'smime:' || owner || ':' || fingerprint, extract(epoch FROM not_after)::bigint FROM mss.smime_key "
            + "ORDER BY 1", (name, notAfter) -> expiries.put(name, notAfter - clock.instant().getEpochSecond()));
        expiries.forEach((name, seconds) -> text.sample("mss_certificate_expiry_seconds", Map.of("name", name), seconds));
        jamesMetrics(text);
        return text.toString();
    }

    /**
     * What James itself counts in its Dropwizard registry (SMTP/IMAP commands, mail queues...), as
     * {@code james_<name>}: counters, numeric gauges, and the counts of meters and timers.
     */
    private void jamesMetrics(PrometheusText text) {
        // one family per name: two James names that differ only by punctuation keep the first
        Set<String> written = new HashSet<>();
        BiConsumer<String, Object[]> family = (name, typeHelpValue) -> {
            if (written.add(name)) {
                text.family(name, (String) typeHelpValue[0], (String) typeHelpValue[1])
                    .sample(name, Map.of(), ((Number) typeHelpValue[2]).doubleValue());
            }
        };
        new TreeMap<>(james.getCounters()).forEach((name, counter) ->
            family.accept(jamesName(name), new Object[] {"gauge", "James counter " + name, counter.getCount()}));
        new TreeMap<>(james.getGauges()).forEach((name, gauge) -> {
            Object value;
            try {
                value = gauge.getValue();
            } catch (RuntimeException e) {
                return;
            }
            if (value instanceof Number number) {
                family.accept(jamesName(name), new Object[] {"gauge", "James gauge " + name, number});
            }
        });
        new TreeMap<>(james.getMeters()).forEach((name, meter) ->
            family.accept(jamesName(name) + "_total", new Object[] {"counter", "James meter " + name, meter.getCount()}));
        new TreeMap<>(james.getTimers()).forEach((name, timer) ->
            family.accept(jamesName(name) + "_count", new Object[] {"counter", "James timer " + name + " (count)", timer.getCount()}));
    }

    static String jamesName(String name) {
        return "james_" + name.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private Optional<Long> serverCertificateExpiry() {
        String file = System.getProperty(SERVER_CERTIFICATE_PROPERTY, "");
        if (file.isEmpty() || !Files.isReadable(Path.of(file))) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Optional.of(Duration.between(clock.instant(), leaf.getNotAfter().toInstant()).getSeconds());
        } catch (Exception e) {
            LOGGER.warn("Cannot read the server certificate {}", file, e);
            return Optional.empty();
        }
    }

    private interface Row {
        void accept(String name, long value);
    }

    private void query(String sql, Row row) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet result = select.executeQuery()) {
            while (result.next()) {
                row.accept(result.getString(1), result.getLong(2));
            }
        } catch (SQLException e) {
            LOGGER.warn("Metrics query failed: {}", e.getMessage());
        }
    }
}
