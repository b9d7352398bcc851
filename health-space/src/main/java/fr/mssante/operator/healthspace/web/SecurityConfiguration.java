package fr.mssante.operator.healthspace.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import fr.mssante.operator.healthspace.HealthSpaceSettings;

/**
 * Who may see what: everything but the login pages, the stylesheet and the closed-space page needs a signed-in
 * citizen. CSRF tokens on every form (Spring Security's default), a Content-Security-Policy without
 * {@code unsafe-inline} (no script at all: the pages work without JavaScript), no framing, no referrer. The login is
 * either the one-time code ({@code LoginController}) or an OpenID Connect provider (Spring Boot's
 * {@code spring.security.oauth2.client.*} registration), chosen by {@code MSS_HEALTH_SPACE_LOGIN}.
 */
@Configuration
class SecurityConfiguration {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new HttpSessionSecurityContextRepository();
    }

    @Bean
    SecurityFilterChain filterChain(HttpSecurity http, HealthSpaceSettings settings,
                                    SecurityContextRepository contexts) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                .requestMatchers("/login", "/login/code", "/closed", "/css/**", "/favicon.ico", "/error").permitAll()
                .anyRequest().authenticated())
            .securityContext(context -> context.securityContextRepository(contexts))
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                .frameOptions(frame -> frame.deny()))
            .sessionManagement(sessions -> sessions.sessionFixation(fixation -> fixation.changeSessionId()))
            .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout").deleteCookies("JSESSIONID"))
            .requestCache(cache -> cache.disable());
        if (settings.oidcLogin()) {
            http.oauth2Login(oidc -> oidc.loginPage("/login").defaultSuccessUrl("/", true));
        } else {
            http.exceptionHandling(errors -> errors.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")));
        }
        return http.build();
    }
}
