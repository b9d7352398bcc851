package fr.mssante.operator.console.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's Prometheus text exposition ({@code GET /mss/metrics}, format 0.0.4), read into samples: enough for the
 * dashboard (queue sizes, certificates' expiry, DMP outbox states, messages by outcome).
 */
public record Metrics(List<Sample> samples) {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static Metrics parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Matcher matcher = LINE.matcher(trimmed);
            if (!matcher.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (matcher.group(3) != null) {
                Matcher label = LABEL.matcher(matcher.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                }
            }
            double value;
            try {
                value = Double.parseDouble(matcher.group(4));
            } catch (NumberFormatException e) {
                continue;
            }
            samples.add(new Sample(matcher.group(1), labels, value));
        }
        return new Metrics(samples);
    }

    /** {label value → sample value} of one metric, e.g. {@code mss_queue_size} by {@code queue}. */
    public Map<String, Double> by(String name, String label) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name)) {
                values.merge(sample.labels().getOrDefault(label, ""), sample.value(), Double::sum);
            }
        }
        return values;
    }

    /** Certificates by name with their remaining validity in days, soonest first. */
    public List<Map<String, Object>> certificateExpiries() {
        List<Map<String, Object>> expiries = new ArrayList<>();
        by("mss_certificate_expiry_seconds", "name").forEach((name, seconds) ->
            expiries.add(Map.of("name", name, "days", (long) Math.floor(seconds / 86_400d))));
        expiries.sort(Comparator.comparingLong(entry -> (Long) entry.get("days")));
        return expiries;
    }
}
