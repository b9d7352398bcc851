package fr.mssante.operator.healthspace.login;

import java.util.Optional;

import org.springframework.core.MethodParameter;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

import fr.mssante.operator.healthspace.HealthSpaceSettings;
import fr.mssante.operator.healthspace.webadmin.CitizenRoutes;

/**
 * The signed-in citizen as a controller argument, whatever the login: a one-time code ({@link CitizenPrincipal}) or an
 * OpenID Connect provider (the INS from the configured claim). No INS, no access.
 */
@Component
public class CurrentCitizen implements HandlerMethodArgumentResolver {
    private final HealthSpaceSettings settings;

    public CurrentCitizen(HealthSpaceSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType().equals(CitizenPrincipal.class);
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
                                  WebDataBinderFactory binderFactory) {
        return of(SecurityContextHolder.getContext().getAuthentication())
            .orElseThrow(() -> new AccessDeniedException("No citizen in this session"));
    }

    public Optional<CitizenPrincipal> of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        if (authentication.getPrincipal() instanceof CitizenPrincipal citizen) {
            return Optional.of(citizen);
        }
        if (authentication.getPrincipal() instanceof OAuth2User user) {
            Object ins = user.getAttribute(settings.oidcInsClaim());
            if (ins instanceof String value && CitizenRoutes.looksLikeIns(value)) {
                Object name = user.getAttribute("name");
                return Optional.of(new CitizenPrincipal(value, value + "@" + settings.patientDomain(),
                    name instanceof String text ? text : ""));
            }
        }
        return Optional.empty();
    }
}
