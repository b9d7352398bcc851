package fr.mssante.operator.console.quarantine;

import static fr.mssante.operator.console.webadmin.WebAdminClient.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import fr.mssante.operator.console.web.Actions;
import fr.mssante.operator.console.webadmin.WebAdminClient;

/**
 * Queues (James's {@code /mailQueues}: names and sizes) and the antivirus quarantine ({@code /mss/quarantine}: envelope
 * and headers only — the console never asks for a body), with release and delete (audited by the server).
 */
@Controller
class QueuesController {
    private final WebAdminClient webAdmin;

    QueuesController(WebAdminClient webAdmin) {
        this.webAdmin = webAdmin;
    }

    @GetMapping("/queues")
    String show(Model model) {
        Actions.load(model, "queues", this::queues);
        Actions.load(model, "quarantine", this::quarantine);
        return "queues";
    }

    @PostMapping("/quarantine/release")
    String release(@RequestParam String key, RedirectAttributes flash) {
        return Actions.change(flash, "/queues", "quarantine.released",
            () -> webAdmin.call("POST", "/mss/quarantine/" + segment(key) + "/release"));
    }

    @PostMapping("/quarantine/delete")
    String delete(@RequestParam String key, RedirectAttributes flash) {
        return Actions.change(flash, "/queues", "quarantine.deleted",
            () -> webAdmin.call("DELETE", "/mss/quarantine/" + segment(key)));
    }

    /** Envelope, verdict and headers of each quarantined message (what the route answers: never a body). */
    List<Quarantined> quarantine() {
        List<Quarantined> messages = new ArrayList<>();
        for (JsonNode mail : webAdmin.get("/mss/quarantine?limit=200")) {
            List<String> recipients = new ArrayList<>();
            mail.path("recipients").forEach(recipient -> recipients.add(recipient.asText()));
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            mail.path("headers").forEach(header -> headers.add(Map.entry(header.path("name").asText(), header.path("value").asText())));
            messages.add(new Quarantined(mail.path("key").asText(), mail.path("messageId").asText(""),
                mail.path("sender").asText(""), String.join(", ", recipients), mail.path("error").asText(""),
                mail.path("lastUpdated").asText(""), headers));
        }
        return messages;
    }

    record Quarantined(String key, String messageId, String sender, String recipients, String verdict, String at,
                       List<Map.Entry<String, String>> headers) {
    }

    List<Map<String, Object>> queues() {
        List<Map<String, Object>> queues = new ArrayList<>();
        for (JsonNode name : webAdmin.get("/mailQueues")) {
            JsonNode queue = webAdmin.get("/mailQueues/" + segment(name.asText()));
            queues.add(Map.of("name", name.asText(), "size", queue.path("size").asLong()));
        }
        return queues;
    }
}
