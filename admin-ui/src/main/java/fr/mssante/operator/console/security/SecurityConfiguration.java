package fr.mssante.operator.console.security;

import java.time.Clock;

import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

import fr.mssante.operator.console.ConsoleProperties;
import fr.mssante.operator.console.metrics.MetricsAccess;

/**
 * Who may do what: every page needs a login (password + TOTP); GET is open to operators and auditors, every other
 * method to operators only (an auditor's POST is refused 403, whatever the page). CSRF tokens on every form (Spring
 * Security's default), a Content-Security-Policy without {@code unsafe-inline} (no inline script or style anywhere),
 * no framing, sessions that expire ({@code MSS_CONSOLE_SESSION_TIMEOUT}). In production the console refuses to start
 * without HTTPS, and its session cookie is {@code Secure}. The console's own metrics ({@code /actuator/prometheus},
 * {@code /actuator/health}, nothing else exposed) have their own chain: no session, loopback or the metrics token
 * ({@link MetricsAccess}), 403 otherwise.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfiguration {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Bean
    @Order(1)
    SecurityFilterChain metricsChain(HttpSecurity http, ConsoleProperties properties) throws Exception {
        http.securityMatcher("/actuator/**")
            .authorizeHttpRequests(authorize -> authorize
                .requestMatchers(HttpMethod.GET, "/actuator/prometheus", "/actuator/health")
                .access(new MetricsAccess(properties.metricsTokenFile()))
                .anyRequest().denyAll())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .csrf(csrf -> csrf.disable()) // no session, no form, GET only
            .requestCache(cache -> cache.disable())
            .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CSP)).frameOptions(frame -> frame.deny()));
        return http.build();
    }

    @Bean
    SecurityFilterChain filterChain(HttpSecurity http, TotpAuthenticationProvider provider) throws Exception {
        // its own manager, with no parent: a failed login is evaluated (and counted) once
        http.authenticationManager(new ProviderManager(provider))
            .authorizeHttpRequests(authorize -> authorize
                .requestMatchers("/login", "/css/**", "/favicon.ico", "/error").permitAll()
                .requestMatchers("/accounts", "/accounts/**").hasRole("OPERATOR") // reading the accounts too
                .requestMatchers(HttpMethod.GET, "/**").hasAnyRole("OPERATOR", "AUDITOR")
                .anyRequest().hasRole("OPERATOR"))
            .formLogin(form -> form.loginPage("/login").usernameParameter("username").passwordParameter("password")
                .authenticationDetailsSource(LoginDetails::of)
                .defaultSuccessUrl("/", true).failureUrl("/login?error").permitAll())
            .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout")
                .deleteCookies("MSS_CONSOLE").invalidateHttpSession(true))
            .sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                .frameOptions(frame -> frame.deny()));
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder(12);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Production: HTTPS with the configured certificate, or no start; Secure session cookie. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> productionGuard(ConsoleProperties properties) {
        return factory -> {
            if (!properties.production()) {
                return;
            }
            if (factory.getSsl() == null || !factory.getSsl().isEnabled()) {
                throw new IllegalStateException("MSS_MODE=production: the console needs HTTPS (MSS_CONSOLE_TLS_ENABLED=true, "
                    + "MSS_CONSOLE_TLS_KEYSTORE, MSS_CONSOLE_TLS_KEYSTORE_PASSWORD)");
            }
            factory.getSession().getCookie().setSecure(true);
        };
    }
}
