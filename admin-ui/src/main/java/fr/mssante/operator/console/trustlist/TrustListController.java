package fr.mssante.operator.console.trustlist;

import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import fr.mssante.operator.console.web.Actions;
import fr.mssante.operator.console.webadmin.WebAdminClient;

/**
 * The liste blanche: what is in force (counts, then the entries themselves — domain, operator certificate DN,
 * description, source — filtered by a part of a domain or DN), the refresh history with each diff, refresh now.
 */
@Controller
@RequestMapping("/trust-list")
class TrustListController {
    private final WebAdminClient webAdmin;

    TrustListController(WebAdminClient webAdmin) {
        this.webAdmin = webAdmin;
    }

    @GetMapping
    String show(@RequestParam(defaultValue = "") String q, Model model) {
        Actions.load(model, "trustList", () -> webAdmin.get("/mss/trust-list"));
        model.addAttribute("q", q.trim());
        Actions.loadBlock(model, "trustEntries", () -> webAdmin.get("/mss/trust-list/entries" + WebAdminClient.query(Map.of("q", q))));
        return "trust-list";
    }

    @PostMapping("/refresh")
    String refresh(@RequestParam(defaultValue = "false") boolean acceptSmaller, RedirectAttributes flash) {
        return Actions.change(flash, "/trust-list", "trustlist.refreshed",
            () -> webAdmin.call("POST", "/mss/trust-list/refresh" + (acceptSmaller ? "?acceptSmaller=true" : "")));
    }
}
