package fr.mssante.operator.healthspace.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import fr.mssante.operator.healthspace.login.CitizenPrincipal;
import fr.mssante.operator.healthspace.webadmin.CitizenRoutes;

/** Closing the space (opt-out): a confirmation page, then the server closes it and later messages bounce. */
@Controller
class AccountController {
    private final CitizenRoutes routes;

    AccountController(CitizenRoutes routes) {
        this.routes = routes;
    }

    @GetMapping("/space/close")
    String confirm() {
        return "close";
    }

    @PostMapping("/space/close")
    String close(CitizenPrincipal citizen, @RequestParam(defaultValue = "false") boolean confirmed,
                 HttpServletRequest request, Model model) {
        if (!confirmed) {
            model.addAttribute("error", "close.error.confirm");
            return "close";
        }
        routes.close(citizen.ins());
        SecurityContextHolder.clearContext();
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        return "redirect:/closed";
    }
}
