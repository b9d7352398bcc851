package fr.mssante.operator.console.quarantine;

import static fr.mssante.operator.console.webadmin.WebAdminClient.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import com.fasterxml.jackson.databind.JsonNode;

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
        Actions.load(model, "quarantine", () -> webAdmin.get("/mss/quarantine?limit=200"));
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

    List<Map<String, Object>> queues() {
        List<Map<String, Object>> queues = new ArrayList<>();
        for (JsonNode name : webAdmin.get("/mailQueues")) {
            JsonNode queue = webAdmin.get("/mailQueues/" + segment(name.asText()));
            queues.add(Map.of("name", name.asText(), "size", queue.path("size").asLong()));
        }
        return queues;
    }
}
