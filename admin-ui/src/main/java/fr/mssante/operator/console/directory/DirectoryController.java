package fr.mssante.operator.console.directory;

import static fr.mssante.operator.console.webadmin.WebAdminClient.query;

import java.util.LinkedHashMap;
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

/** The national directory: import now (runs in the background on the server), import history, one import's diff. */
@Controller
class DirectoryController {
    private final WebAdminClient webAdmin;

    DirectoryController(WebAdminClient webAdmin) {
        this.webAdmin = webAdmin;
    }

    @GetMapping("/directory")
    String history(Model model) {
        Actions.load(model, "imports", () -> webAdmin.get("/mss/directory/imports?limit=50"));
        return "directory/list";
    }

    @GetMapping("/directory/imports/{id}")
    String importDetail(@PathVariable long id, Model model) {
        model.addAttribute("id", id);
        Actions.load(model, "importRecord", () -> webAdmin.get("/mss/directory/imports/" + id));
        Actions.load(model, "changes", () -> webAdmin.get("/mss/directory/imports/" + id + "/changes?limit=200"));
        return "directory/show";
    }

    @PostMapping("/directory/imports")
    String importNow(@RequestParam String source, @RequestParam(defaultValue = "false") boolean force, RedirectAttributes flash) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("source", source);
        parameters.put("force", String.valueOf(force));
        return Actions.change(flash, "/directory", "directory.import.started",
            () -> webAdmin.call("POST", "/mss/directory/imports" + query(parameters)));
    }

}
