package fr.mssante.operator.healthspace.web;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import fr.mssante.operator.healthspace.login.CitizenPrincipal;
import fr.mssante.operator.healthspace.login.CurrentCitizen;

/** What every page's header shows: the signed-in citizen, if any. */
@ControllerAdvice
class PageModel {
    private final CurrentCitizen currentCitizen;

    PageModel(CurrentCitizen currentCitizen) {
        this.currentCitizen = currentCitizen;
    }

    @ModelAttribute("signedIn")
    CitizenPrincipal signedIn() {
        return currentCitizen.of(SecurityContextHolder.getContext().getAuthentication()).orElse(null);
    }
}
