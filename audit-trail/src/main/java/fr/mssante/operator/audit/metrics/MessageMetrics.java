package fr.mssante.operator.audit.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

import fr.mssante.operator.audit.AuditRecord;
import fr.mssante.operator.audit.AuditTypes;

/**
 * In-memory counters of the message flow, fed as events are audited (no database read on the hot path): messages by
 * outcome, delivery latency (histogram), TLS handshakes by listener and result. Read by {@code GET /mss/metrics}.
 * They count from the server's start, as Prometheus counters do.
 */
public final class MessageMetrics {
    /** Upper bounds (seconds) of the delivery latency buckets. */
    public static final List<Double> LATENCY_BUCKETS = List.of(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
        900.0, 3600.0);
    private static final Set<String> NOT_MESSAGES = Set.of(AuditTypes.AUTH_SUCCESS, AuditTypes.AUTH_FAILURE,
        AuditTypes.ADMIN_CHANGE, AuditTypes.AUDIT_RETENTION, "TRUST_LIST_SMALLER_ACCEPTED");

    private final Map<String, LongAdder> messages = new ConcurrentHashMap<>();
    private final Map<List<String>, LongAdder> handshakes = new ConcurrentHashMap<>();
    private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BUCKETS.size()];
    private final LongAdder latencyCount = new LongAdder();
    private final DoubleAdder latencySum = new DoubleAdder();

    public MessageMetrics() {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
        for (String outcome : List.of(AuditTypes.ACCEPTED, AuditTypes.REFUSED, AuditTypes.DELIVERED_OUTCOME,
            AuditTypes.BOUNCED_OUTCOME)) {
            messages.put(outcome, new LongAdder());
        }
    }

    /** A journal listener: counts each audited message event by its outcome. */
    public void audited(AuditRecord record) {
        if (record.outcome() != null && !NOT_MESSAGES.contains(record.type()) && !record.type().startsWith("IMAP_")) {
            messages.computeIfAbsent(record.outcome(), outcome -> new LongAdder()).increment();
        }
    }

    /** A message reached its recipient's mailbox or the next operator this long after we accepted it. */
    public void delivered(Duration latency) {
        double seconds = Math.max(0, latency.toNanos() / 1e9);
        latencyCount.increment();
        latencySum.add(seconds);
        for (int i = 0; i < latencyBuckets.length; i++) {
            if (seconds <= LATENCY_BUCKETS.get(i)) {
                latencyBuckets[i].increment();
                return;
            }
        }
    }

    /** A TLS handshake on a listener ({@code smtp-mx}, {@code submission}, {@code imaps}...): ok or failed. */
    public void handshake(String listener, boolean ok) {
        handshakes.computeIfAbsent(List.of(listener, ok ? "ok" : "failed"), key -> new LongAdder()).increment();
    }

    public void writeTo(PrometheusText text) {
        text.family("mss_messages_total", "counter", "Messages by outcome since the server started (from the audit trail)");
        new TreeMap<>(messages).forEach((outcome, count) ->
            text.sample("mss_messages_total", Map.of("outcome", outcome.toLowerCase(Locale.ROOT)), count.sum()));
        text.family("mss_delivery_latency_seconds", "histogram",
            "Time from acceptance to delivery into a mailbox or hand-over to the next operator");
        long cumulative = 0;
        for (int i = 0; i < latencyBuckets.length; i++) {
            cumulative += latencyBuckets[i].sum();
            text.sample("mss_delivery_latency_seconds_bucket", Map.of("le", PrometheusText.format(LATENCY_BUCKETS.get(i))),
                cumulative);
        }
        text.sample("mss_delivery_latency_seconds_bucket", Map.of("le", "+Inf"), latencyCount.sum());
        text.sample("mss_delivery_latency_seconds_sum", Map.of(), latencySum.sum());
        text.sample("mss_delivery_latency_seconds_count", Map.of(), latencyCount.sum());
        text.family("mss_tls_handshakes_total", "counter", "TLS handshakes by listener and result");
        new TreeMap<String, Long>(handshakes.entrySet().stream().collect(Collectors.toMap(
                entry -> entry.getKey().get(0) + "\u0000" + entry.getKey().get(1), entry -> entry.getValue().sum())))
            .forEach((key, count) -> text.sample("mss_tls_handshakes_total",
                labels("listener", key.substring(0, key.indexOf('\u0000')), "result", key.substring(key.indexOf('\u0000') + 1)),
                count));
    }

    private static Map<String, String> labels(String k1, String v1, String k2, String v2) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(k1, v1);
        labels.put(k2, v2);
        return labels;
    }
}
