package fr.mssante.operator.console.audit;

import static fr.mssante.operator.console.webadmin.WebAdminClient.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import fr.mssante.operator.console.account.AccountStore;
import fr.mssante.operator.console.web.Actions;
import fr.mssante.operator.console.webadmin.WebAdminClient;
import fr.mssante.operator.console.webadmin.WebAdminException;

/**
 * Audit search (the server's {@code /mss/audit/events}: by mailbox, Message-ID, event type and time range), its CSV
 * export, and the console's own login audit.
 */
@Controller
class AuditController {
    private final WebAdminClient webAdmin;
    private final AccountStore accounts;

    AuditController(WebAdminClient webAdmin, AccountStore accounts) {
        this.webAdmin = webAdmin;
        this.accounts = accounts;
    }

    @GetMapping("/audit")
    String search(@RequestParam(required = false) String mailbox, @RequestParam(required = false) String messageId,
                  @RequestParam(required = false) String type, @RequestParam(required = false) String from,
                  @RequestParam(required = false) String to, Model model) {
        Map<String, String> criteria;
        try {
            criteria = criteria(mailbox, messageId, type, from, to);
        } catch (IllegalArgumentException e) {
            model.addAttribute("loadError", e.getMessage());
            criteria = criteria(mailbox, messageId, type, null, null);
        }
        model.addAttribute("criteria", criteria);
        model.addAttribute("exportQuery", query(criteria));
        Actions.load(model, "types", () -> webAdmin.get("/mss/audit/types"));
        Map<String, String> search = withLimit(criteria);
        Actions.load(model, "events", () -> webAdmin.get("/mss/audit/events" + query(search)));
        model.addAttribute("logins", accounts.latestLogins(50));
        return "audit";
    }

    @GetMapping("/audit/export.csv")
    ResponseEntity<String> export(@RequestParam(required = false) String mailbox, @RequestParam(required = false) String messageId,
                                  @RequestParam(required = false) String type, @RequestParam(required = false) String from,
                                  @RequestParam(required = false) String to) {
        String csv;
        try {
            csv = webAdmin.getText("/mss/audit/events.csv" + query(withLimit(criteria(mailbox, messageId, type, from, to))));
        } catch (WebAdminException | IllegalArgumentException e) {
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).contentType(MediaType.TEXT_PLAIN).body(e.getMessage() + "\n");
        }
        return ResponseEntity.ok()
            .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("audit.csv").build().toString())
            .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
            .body(csv);
    }

    private static Map<String, String> withLimit(Map<String, String> criteria) {
        Map<String, String> withLimit = new LinkedHashMap<>(criteria);
        withLimit.put("limit", "500");
        return withLimit;
    }

    private static Map<String, String> criteria(String mailbox, String messageId, String type, String from, String to) {
        Map<String, String> criteria = new LinkedHashMap<>();
        criteria.put("mailbox", mailbox);
        criteria.put("messageId", messageId);
        criteria.put("type", type);
        criteria.put("from", instant(from));
        criteria.put("to", instant(to));
        return criteria;
    }

    /** A date-time field ({@code 2026-12-07T08:00}, UTC) or an ISO instant, as an ISO instant; blank stays blank. */
    static String instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim()).toString();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(value.trim()).toInstant(ZoneOffset.UTC).toString();
            } catch (DateTimeParseException again) {
                throw new IllegalArgumentException("date invalide : " + value);
            }
        }
    }
}
