package fr.mssante.operator.healthspace.login;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import fr.mssante.operator.healthspace.HealthSpaceSettings;
import fr.mssante.operator.healthspace.webadmin.Citizen;
import fr.mssante.operator.healthspace.webadmin.CitizenRoutes;
import fr.mssante.operator.healthspace.webadmin.CodeVerification;

/**
 * The one-time code login: the citizen gives their INS (or their address), the server mails a 6-digit code to their
 * personal address, the citizen types it here and the server checks it (5 tries, 10 minutes). The page says the same
 * whether or not the INS has an open space (no enumeration). In {@code oidc} mode the page offers the provider instead.
 */
@Controller
class LoginController {
    static final String PENDING_INS = LoginController.class.getName() + ".pendingIns";

    private final CitizenRoutes routes;
    private final HealthSpaceSettings settings;
    private final SecurityContextRepository contexts;
    private final ObjectProvider<InMemoryClientRegistrationRepository> registrations;

    LoginController(CitizenRoutes routes, HealthSpaceSettings settings, SecurityContextRepository contexts,
                    ObjectProvider<InMemoryClientRegistrationRepository> registrations) {
        this.routes = routes;
        this.settings = settings;
        this.contexts = contexts;
        this.registrations = registrations;
    }

    @GetMapping("/login")
    String login(Model model) {
        if (settings.oidcLogin()) {
            List<String> providers = new ArrayList<>();
            InMemoryClientRegistrationRepository repository = registrations.getIfAvailable();
            if (repository != null) {
                for (ClientRegistration registration : repository) {
                    providers.add(registration.getRegistrationId());
                }
            }
            model.addAttribute("providers", providers);
            return "login-oidc";
        }
        return "login";
    }

    @PostMapping("/login")
    String requestCode(@RequestParam(defaultValue = "") String identifier, HttpSession session, Model model) {
        if (settings.oidcLogin()) {
            return "redirect:/login";
        }
        Optional<String> ins = insOf(identifier);
        if (ins.isEmpty()) {
            model.addAttribute("error", "login.error.identifier");
            model.addAttribute("identifier", identifier);
            return "login";
        }
        Optional<Citizen> citizen = routes.find(ins.get());
        if (citizen.isPresent() && citizen.get().open()) {
            routes.sendLoginCode(ins.get());
        }
        session.setAttribute(PENDING_INS, ins.get());
        return "redirect:/login/code";
    }

    @GetMapping("/login/code")
    String codeForm(HttpSession session) {
        return session.getAttribute(PENDING_INS) == null ? "redirect:/login" : "code";
    }

    @PostMapping("/login/code")
    String verify(@RequestParam(defaultValue = "") String code, HttpServletRequest request,
                  HttpServletResponse response, Model model) {
        HttpSession session = request.getSession();
        if (!(session.getAttribute(PENDING_INS) instanceof String ins)) {
            return "redirect:/login";
        }
        String typed = code.replaceAll("\\s", "");
        if (!typed.matches("[0-9]{6}")) {
            model.addAttribute("error", "code.error.format");
            return "code";
        }
        CodeVerification verification = routes.verifyLoginCode(ins, typed);
        switch (verification.outcome()) {
            case LOCKED -> {
                session.removeAttribute(PENDING_INS);
                model.addAttribute("error", "code.error.locked");
                return "login";
            }
            case INVALID -> {
                model.addAttribute("error", "code.error.invalid");
                model.addAttribute("remaining", verification.remainingAttempts());
                return "code";
            }
            default -> {
            }
        }
        Optional<Citizen> citizen = routes.find(ins);
        if (citizen.isEmpty()) {
            model.addAttribute("error", "code.error.invalid");
            return "code";
        }
        session.removeAttribute(PENDING_INS);
        // a new session id once signed in (fixation)
        request.changeSessionId();
        CitizenPrincipal principal = new CitizenPrincipal(ins, citizen.get().address(), citizen.get().displayName());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null,
            List.of(new SimpleGrantedAuthority("ROLE_CITIZEN"))));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return "redirect:/";
    }

    @GetMapping("/closed")
    String closed() {
        return "closed";
    }

    /** The INS typed alone, or the local part of an address of the patient domain. */
    Optional<String> insOf(String identifier) {
        String value = identifier.trim().replace(" ", "").toUpperCase(Locale.ROOT);
        int at = value.indexOf('@');
        if (at >= 0) {
            if (!value.substring(at + 1).equalsIgnoreCase(settings.patientDomain())) {
                return Optional.empty();
            }
            value = value.substring(0, at);
        }
        return CitizenRoutes.looksLikeIns(value) ? Optional.of(value) : Optional.empty();
    }
}
