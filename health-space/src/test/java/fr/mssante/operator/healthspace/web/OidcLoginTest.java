package fr.mssante.operator.healthspace.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.user.DefaultOAuth2User;
import org.springframework.test.web.servlet.MockMvc;

import fr.mssante.operator.healthspace.login.CitizenPrincipal;
import fr.mssante.operator.healthspace.login.CurrentCitizen;

/**
 * Production login: MSS_HEALTH_SPACE_LOGIN=oidc and a standard Spring Boot client registration (here a
 * FranceConnect-style provider given by its endpoints) are the whole switch; the INS comes from the configured claim.
 */
@SpringBootTest(properties = {
    "server.port=0",
    "mss.health-space.login=oidc",
    "spring.security.oauth2.client.registration.franceconnect.client-id=health-space",
    "spring.security.oauth2.client.registration.franceconnect.client-secret=test-secret",
    "spring.security.oauth2.client.registration.franceconnect.authorization-grant-type=authorization_code",
    "spring.security.oauth2.client.registration.franceconnect.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
    "spring.security.oauth2.client.registration.franceconnect.scope=openid,profile",
    "spring.security.oauth2.client.provider.franceconnect.authorization-uri=https://idp.example/api/v1/authorize",
    "spring.security.oauth2.client.provider.franceconnect.token-uri=https://idp.example/api/v1/token",
    "spring.security.oauth2.client.provider.franceconnect.jwk-set-uri=https://idp.example/api/v1/jwks",
    "spring.security.oauth2.client.provider.franceconnect.user-info-uri=https://idp.example/api/v1/userinfo",
    "spring.security.oauth2.client.provider.franceconnect.user-name-attribute=sub"})
@AutoConfigureMockMvc
class OidcLoginTest {
    @Autowired
    MockMvc mvc;
    @Autowired
    CurrentCitizen currentCitizen;

    @Test
    void theLoginPageOffersTheProviderWhichRedirectsToItsAuthorizationEndpoint() throws Exception {
        mvc.perform(get("/")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("http://localhost/login"));
        String page = mvc.perform(get("/login")).andExpect(status().isOk()).andReturn().getResponse()
            .getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains("/oauth2/authorization/franceconnect").doesNotContain("name=\"identifier\"");
        String location = mvc.perform(get("/oauth2/authorization/franceconnect")).andExpect(status().is3xxRedirection())
            .andReturn().getResponse().getRedirectedUrl();
        assertThat(location).startsWith("https://idp.example/api/v1/authorize?")
            .contains("client_id=health-space", "scope=openid%20profile", "nonce=");
    }

    @Test
    void theInsComesFromTheConfiguredClaim() {
        DefaultOAuth2User user = new DefaultOAuth2User(java.util.List.of(),
            Map.of("sub", "abc", "ins", "180057512345627", "name", "Jeanne Martin"), "sub");
        assertThat(currentCitizen.of(new OAuth2AuthenticationToken(user, java.util.List.of(), "franceconnect")))
            .contains(new CitizenPrincipal("180057512345627", "180057512345627@patient.mss.test", "Jeanne Martin"));
        DefaultOAuth2User withoutIns = new DefaultOAuth2User(java.util.List.of(), Map.of("sub", "abc"), "sub");
        assertThat(currentCitizen.of(new OAuth2AuthenticationToken(withoutIns, java.util.List.of(), "franceconnect"))).isEmpty();
    }
}
