package fr.mssante.operator.console.web;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Every page knows who is logged in and whether they may change things (operators) or only read (auditors). */
@ControllerAdvice
class CurrentUser {
    @ModelAttribute("operator")
    boolean operator(Authentication authentication) {
        return authentication != null && authentication.getAuthorities().stream()
            .anyMatch(authority -> authority.getAuthority().equals("ROLE_OPERATOR"));
    }
}
