package fr.mssante.operator.console.domains;

import static fr.mssante.operator.console.webadmin.WebAdminClient.segment;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import fr.mssante.operator.console.web.Actions;
import fr.mssante.operator.console.webadmin.WebAdminClient;

/** The server's domains (James's {@code /domains}). */
@Controller
class DomainsController {
    private final WebAdminClient webAdmin;

    DomainsController(WebAdminClient webAdmin) {
        this.webAdmin = webAdmin;
    }

    @GetMapping("/domains")
    String list(Model model) {
        Actions.load(model, "domains", () -> webAdmin.get("/domains"));
        return "domains";
    }

    @PostMapping("/domains")
    String add(@RequestParam String domain, RedirectAttributes flash) {
        return Actions.change(flash, "/domains", "domain.added", () -> webAdmin.call("PUT", "/domains/" + segment(domain.trim())));
    }

    @PostMapping("/domains/delete")
    String delete(@RequestParam String domain, RedirectAttributes flash) {
        return Actions.change(flash, "/domains", "domain.deleted", () -> webAdmin.call("DELETE", "/domains/" + segment(domain)));
    }
}
