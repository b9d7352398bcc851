package fr.mssante.operator.console.mailboxes;

import static fr.mssante.operator.console.webadmin.WebAdminClient.query;
import static fr.mssante.operator.console.webadmin.WebAdminClient.segment;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import fr.mssante.operator.console.web.Actions;
import fr.mssante.operator.console.webadmin.WebAdminClient;
import fr.mssante.operator.console.webadmin.WebAdminException;
import fr.mssante.operator.vocabulary.MailboxKind;

/**
 * Mailboxes (the server's register, {@code /mss/mailboxes}): create PER/ORG/APP/CAB with their holder; co-holders and
 * delegates with their rights; suspend, reactivate, close; liste rouge; password/TOTP policy; history.
 */
@Controller
@RequestMapping("/mailboxes")
class MailboxesController {
    static final List<String> KINDS = Arrays.stream(MailboxKind.values()).map(Enum::name).toList();
    static final List<String> ROLES = List.of("CO_HOLDER", "DELEGATE_READ", "DELEGATE_SEND");
    static final List<String> LOGIN_POLICIES = List.of("DEFAULT", "PASSWORD_TOTP", "PASSWORD", "DISABLED");

    private final WebAdminClient webAdmin;

    MailboxesController(WebAdminClient webAdmin) {
        this.webAdmin = webAdmin;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("kinds", KINDS);
        Actions.load(model, "mailboxes", () -> webAdmin.get("/mss/mailboxes?limit=1000"));
        return "mailboxes/list";
    }

    @PostMapping
    String create(@RequestParam String address, @RequestParam String kind, @RequestParam String holder,
                  @RequestParam(required = false) String description, @RequestParam(required = false) String service,
                  @RequestParam(defaultValue = "false") boolean listeRouge, RedirectAttributes flash) {
        String key = address.trim().toLowerCase(Locale.ROOT);
        try {
            webAdmin.get("/mss/mailboxes/" + segment(key));
            flash.addFlashAttribute("error", "exists");
            return "redirect:/mailboxes";
        } catch (WebAdminException e) {
            if (e.status() != 404) {
                flash.addFlashAttribute("error", e.getMessage());
                return "redirect:/mailboxes";
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("kind", kind);
        parameters.put("holder", holder);
        parameters.put("description", description);
        parameters.put("service", service);
        parameters.put("listeRouge", String.valueOf(listeRouge));
        return Actions.change(flash, "/mailboxes/" + key, "mailbox.created",
            () -> webAdmin.call("PUT", "/mss/mailboxes/" + segment(key) + query(parameters)));
    }

    @GetMapping("/{address}")
    String show(@PathVariable String address, Model model) {
        model.addAttribute("address", address);
        model.addAttribute("roles", ROLES);
        model.addAttribute("loginPolicies", LOGIN_POLICIES);
        Actions.load(model, "mailbox", () -> webAdmin.get("/mss/mailboxes/" + segment(address)));
        Actions.load(model, "access", () -> webAdmin.get("/mss/mailboxes/" + segment(address) + "/access"));
        Actions.load(model, "history", () -> webAdmin.get("/mss/mailboxes/" + segment(address) + "/history"));
        return "mailboxes/show";
    }

    @PostMapping("/{address}/access")
    String grant(@PathVariable String address, @RequestParam String identity, @RequestParam String role, RedirectAttributes flash) {
        return Actions.change(flash, "/mailboxes/" + address, "mailbox.granted", () -> webAdmin.call("PUT",
            "/mss/mailboxes/" + segment(address) + "/access/" + segment(identity.trim()) + "/" + segment(role)));
    }

    @PostMapping("/{address}/access/revoke")
    String revoke(@PathVariable String address, @RequestParam String identity, @RequestParam String role, RedirectAttributes flash) {
        return Actions.change(flash, "/mailboxes/" + address, "mailbox.revoked", () -> webAdmin.call("DELETE",
            "/mss/mailboxes/" + segment(address) + "/access/" + segment(identity) + "/" + segment(role)));
    }

    @PostMapping("/{address}/state")
    String state(@PathVariable String address, @RequestParam String state, RedirectAttributes flash) {
        return Actions.change(flash, "/mailboxes/" + address, "mailbox.state.changed",
            () -> webAdmin.call("PUT", "/mss/mailboxes/" + segment(address) + "/state/" + segment(state)));
    }

    @PostMapping("/{address}/liste-rouge")
    String listeRouge(@PathVariable String address, @RequestParam(defaultValue = "false") boolean listeRouge, RedirectAttributes flash) {
        return Actions.change(flash, "/mailboxes/" + address, "mailbox.updated", () -> {
            JsonNode current = webAdmin.get("/mss/mailboxes/" + segment(address));
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("description", text(current, "description"));
            parameters.put("service", text(current, "service"));
            parameters.put("rank", text(current, "rank"));
            parameters.put("listeRouge", String.valueOf(listeRouge));
            webAdmin.call("PUT", "/mss/mailboxes/" + segment(address) + query(parameters));
        });
    }

    @PostMapping("/{address}/password-login")
    String passwordLogin(@PathVariable String address, @RequestParam String policy, RedirectAttributes flash) {
        return Actions.change(flash, "/mailboxes/" + address, "mailbox.updated",
            () -> webAdmin.call("PUT", "/mss/mailboxes/" + segment(address) + "/password-login/" + segment(policy)));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
