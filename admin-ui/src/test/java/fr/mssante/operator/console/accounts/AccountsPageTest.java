package fr.mssante.operator.console.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import fr.mssante.operator.console.account.Totp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The accounts page (operators only, reading included): an account created there gets a password and a TOTP secret
 * shown once (otpauth URI) with which it can log in; lock refuses even the right credentials until unlock; every
 * change is in {@code console.login_event} with the operator who made it; an auditor can neither see nor change it.
 */
@SpringBootTest
@AutoConfigureMockMvc
class AccountsPageTest {
    static EmbeddedPostgres postgres;
    static Path devDirectory;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        devDirectory = Files.createTempDirectory("console-accounts");
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("mss.console.dev-directory", devDirectory::toString);
        registry.add("mss.console.web-admin-url", () -> "http://127.0.0.1:1");
        registry.add("mss.console.web-admin-token-file", () -> devDirectory.resolve("console.token").toString());
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void anOperatorCreatesAnAccountWhoseSecretsAreShownOnceThenLocksAndUnlocksIt() throws Exception {
        MvcResult created = mvc.perform(post("/accounts").with(csrf()).with(user("operateur").roles("OPERATOR"))
            .param("login", "claire.audit").param("role", "AUDITOR")).andExpect(status().is3xxRedirection()).andReturn();
        String password = (String) created.getFlashMap().get("newPassword");
        String otpauth = (String) created.getFlashMap().get("newOtpauth");
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(otpauth).startsWith("otpauth://totp/MSS%20console%3Aclaire.audit?secret=")
            .contains("&issuer=MSS%20console&algorithm=SHA1&digits=6&period=30");
        Matcher secret = Pattern.compile("secret=([A-Z2-7]+)").matcher(otpauth);
        assertThat(secret.find()).isTrue();

        // shown once: the page itself (and the database) never show them again
        String page = mvc.perform(get("/accounts").with(user("operateur").roles("OPERATOR"))).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("claire.audit").doesNotContain(password).doesNotContain(secret.group(1));
        assertThat(jdbc.queryForObject("SELECT password_hash FROM console.account WHERE login = 'claire.audit'", String.class))
            .startsWith("$2a$12$").doesNotContain(password);

        assertThat(login("claire.audit", password, secret.group(1))).isEqualTo("/");
        mvc.perform(post("/accounts").with(csrf()).with(user("operateur").roles("OPERATOR"))
            .param("login", "claire.audit").param("role", "OPERATOR")).andReturn();
        assertThat(jdbc.queryForObject("SELECT role FROM console.account WHERE login = 'claire.audit'", String.class))
            .as("an existing account is never replaced").isEqualTo("AUDITOR");

        mvc.perform(post("/accounts/claire.audit/lock").with(csrf()).with(user("operateur").roles("OPERATOR")))
            .andExpect(status().is3xxRedirection());
        assertThat(login("claire.audit", password, secret.group(1))).as("locked").isEqualTo("/login?error");
        mvc.perform(post("/accounts/claire.audit/unlock").with(csrf()).with(user("operateur").roles("OPERATOR")))
            .andExpect(status().is3xxRedirection());
        // a code serves once: the first login used this step's, so wait for the next step's code
        long used = Totp.step(Instant.now());
        await().atMost(Duration.ofSeconds(35)).pollInterval(Duration.ofMillis(200)).until(() -> Totp.step(Instant.now()) > used);
        assertThat(login("claire.audit", password, secret.group(1))).as("unlocked").isEqualTo("/");

        mvc.perform(post("/accounts/operateur/lock").with(csrf()).with(user("operateur").roles("OPERATOR"))).andReturn();
        assertThat(jdbc.queryForObject("SELECT disabled FROM console.account WHERE login = 'operateur'", Boolean.class))
            .as("no one locks themselves out").isFalse();

        assertThat(jdbc.queryForList("SELECT outcome || ' ' || coalesce(reason, '') FROM console.login_event "
            + "WHERE login = 'claire.audit' AND outcome LIKE 'ACCOUNT_%' ORDER BY id", String.class))
            .containsExactly("ACCOUNT_CREATED role AUDITOR by operateur", "ACCOUNT_LOCKED by operateur", "ACCOUNT_UNLOCKED by operateur");
    }

    @Test
    void anAuditorNeitherSeesNorChangesTheAccounts() throws Exception {
        mvc.perform(get("/accounts").with(user("auditeur").roles("AUDITOR"))).andExpect(status().isForbidden());
        for (String path : new String[] {"/accounts", "/accounts/operateur/lock", "/accounts/operateur/unlock"}) {
            mvc.perform(post(path).with(csrf()).with(user("auditeur").roles("AUDITOR")).param("login", "intrus").param("role", "OPERATOR"))
                .andExpect(status().isForbidden());
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM console.account WHERE login = 'intrus'", Integer.class)).isZero();
        assertThat(mvc.perform(get("/").with(user("auditeur").roles("AUDITOR"))).andReturn().getResponse().getContentAsString())
            .doesNotContain("nav-accounts");
    }

    /** Logs in with a code for the current step (once more with the next code if the first was at the end of its step). */
    private String login(String username, String password, String secret) throws Exception {
        String url = mvc.perform(post("/login").with(csrf()).param("username", username).param("password", password)
            .param("code", Totp.code(secret, Totp.step(Instant.now())))).andReturn().getResponse().getRedirectedUrl();
        return url;
    }
}
