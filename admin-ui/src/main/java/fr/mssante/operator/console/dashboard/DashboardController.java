package fr.mssante.operator.console.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import fr.mssante.operator.console.web.Actions;
import fr.mssante.operator.console.webadmin.WebAdminClient;

/**
 * The dashboard: messages per hour (accepted, refused, delivered, bounced; {@code /mss/audit/hourly}), queue sizes and
 * certificates expiring within 30 days ({@code /mss/metrics}), the liste blanche's age and last diff, the DMP outbox by
 * state, the last directory imports. Each block loads on its own: one failing route does not hide the others.
 */
@Controller
class DashboardController {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH'h'").withZone(ZoneOffset.UTC);

    private final WebAdminClient webAdmin;
    private final Clock clock;

    DashboardController(WebAdminClient webAdmin, Clock clock) {
        this.webAdmin = webAdmin;
        this.clock = clock;
    }

    @GetMapping("/")
    String dashboard(Model model) {
        Actions.loadBlock(model, "hourly", this::hourly);
        Actions.loadBlock(model, "metrics", () -> Metrics.parse(webAdmin.getText("/mss/metrics")));
        Object metrics = model.getAttribute("metrics");
        if (metrics instanceof Metrics parsed) {
            Map<String, Double> queues = parsed.by("mss_queue_size", "queue");
            model.addAttribute("queues", queues);
            model.addAttribute("queueChart", BarChart.of("queues", new ArrayList<>(queues.keySet()), List.of("messages"),
                List.of(new ArrayList<>(queues.values())), 1));
            model.addAttribute("expiring", parsed.certificateExpiries().stream()
                .filter(entry -> (Long) entry.get("days") <= 30).toList());
        }
        Actions.loadBlock(model, "trustList", () -> trustList());
        Actions.loadBlock(model, "dmpCounts", () -> webAdmin.get("/mss/dmp/outbox/counts"));
        Actions.loadBlock(model, "imports", () -> webAdmin.get("/mss/directory/imports?limit=5"));
        return "dashboard";
    }

    private Map<String, Object> hourly() {
        JsonNode hours = webAdmin.get("/mss/audit/hourly?hours=24");
        List<String> groups = new ArrayList<>();
        List<String> names = List.of("accepted", "refused", "delivered", "bounced");
        List<List<Double>> series = new ArrayList<>();
        names.forEach(name -> series.add(new ArrayList<>()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode hour : hours) {
            String label = HOUR.format(Instant.parse(hour.path("hour").asText()));
            groups.add(label);
            for (int i = 0; i < names.size(); i++) {
                series.get(i).add(hour.path(names.get(i)).asDouble());
            }
            rows.add(Map.of("hour", label, "accepted", hour.path("accepted").asLong(), "refused", hour.path("refused").asLong(),
                "delivered", hour.path("delivered").asLong(), "bounced", hour.path("bounced").asLong()));
        }
        return Map.of("chart", BarChart.of("hourly", groups, names, series, 3), "rows", rows);
    }

    private Map<String, Object> trustList() {
        JsonNode list = webAdmin.get("/mss/trust-list");
        String generated = list.path("generatedAt").isNull() ? null : list.path("generatedAt").asText(null);
        Long ageHours = null;
        if (generated != null) {
            try {
                ageHours = Duration.between(Instant.parse(generated), clock.instant()).toHours();
            } catch (DateTimeParseException e) {
                ageHours = null;
            }
        }
        JsonNode last = list.path("recentRefreshes").path(0);
        return Map.of("entries", list.path("entries").asLong(), "generatedAt", generated == null ? "—" : generated,
            "ageHours", ageHours == null ? "—" : ageHours.toString(),
            "lastOutcome", last.path("outcome").asText("—"), "lastAdded", last.path("added").asLong(),
            "lastRemoved", last.path("removed").asLong(), "lastAt", last.path("finishedAt").asText("—"));
    }
}
