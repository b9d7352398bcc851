package fr.mssante.operator.console.dmp;

import static fr.mssante.operator.console.webadmin.WebAdminClient.query;

import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import fr.mssante.operator.console.web.Actions;
import fr.mssante.operator.console.webadmin.WebAdminClient;

/**
 * The DMP outbox: counts by state, entries (state, attempts, last error), filtered by state or mailbox; "retry now"
 * (operators only) for a submission that failed and waits for its next attempt ({@code POST /mss/dmp/outbox/{id}/retry},
 * audited by the server as {@code DMP_RETRY_REQUESTED} with {@code console:<login>}).
 */
@Controller
class DmpController {
    private final WebAdminClient webAdmin;

    DmpController(WebAdminClient webAdmin) {
        this.webAdmin = webAdmin;
    }

    @GetMapping("/dmp")
    String outbox(@RequestParam(required = false) String state, @RequestParam(required = false) String mailbox, Model model) {
        model.addAttribute("state", state);
        model.addAttribute("mailboxFilter", mailbox);
        Actions.load(model, "counts", () -> webAdmin.get("/mss/dmp/outbox/counts"));
        Actions.load(model, "entries", () -> webAdmin.get("/mss/dmp/outbox" + query(Map.of("state", state == null ? "" : state,
            "mailbox", mailbox == null ? "" : mailbox, "limit", "100"))));
        return "dmp";
    }

    @PostMapping("/dmp/{id}/retry")
    String retry(@PathVariable String id, RedirectAttributes flash) {
        return Actions.change(flash, "/dmp", "dmp.retried",
            () -> webAdmin.call("POST", "/mss/dmp/outbox/" + WebAdminClient.segment(id) + "/retry"));
    }
}
