package fr.mssante.operator.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import fr.mssante.operator.console.ConsoleAccounts;
import fr.mssante.operator.console.account.DevelopmentAccounts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Login (password + TOTP, both required; replay refused), lock-out after 5 failures (audited), CSRF, CSP, and the
 * auditor's read-only role on every POST route of the console. Against a real PostgreSQL (schema console by Flyway);
 * WebAdmin is unreachable here (the browser tests run the real server).
 */
@SpringBootTest
@AutoConfigureMockMvc
class ConsoleSecurityTest {
    static EmbeddedPostgres postgres;
    static Path devDirectory;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        devDirectory = Files.createTempDirectory("console-dev");
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
    @Autowired
    @Qualifier("requestMappingHandlerMapping") // the application's routes (the actuator has its own mapping)
    RequestMappingHandlerMapping mappings;

    ConsoleAccounts accounts() {
        return new ConsoleAccounts(devDirectory.resolve(DevelopmentAccounts.FILE));
    }

    @Test
    void developmentModeWritesOneOperatorAndOneAuditor() throws IOException {
        List<String> lines = Files.readAllLines(devDirectory.resolve(DevelopmentAccounts.FILE)).stream()
            .filter(line -> !line.startsWith("#")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines).allMatch(line -> line.matches("[a-z]+=\\S+ [A-Z2-7]{32} (OPERATOR|AUDITOR)"));
        assertThat(accounts().get(DevelopmentAccounts.OPERATOR).role()).isEqualTo("OPERATOR");
        assertThat(accounts().get(DevelopmentAccounts.AUDITOR).role()).isEqualTo("AUDITOR");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM console.account WHERE password_hash LIKE '$2a$12$%'", Integer.class))
            .isEqualTo(2);
    }

    @Test
    void loginNeedsThePasswordAndTheCurrentCodeAndACodeServesOnce() throws Exception {
        ConsoleAccounts.Entry operator = accounts().get(DevelopmentAccounts.OPERATOR);
        String wrongCode = operator.code().equals("000000") ? "111111" : "000000";
        login(operator.login(), operator.password(), wrongCode).andExpect(redirectedUrl("/login?error"));
        login(operator.login(), operator.password() + "x", operator.code()).andExpect(redirectedUrl("/login?error"));
        login(operator.login(), operator.password(), "").andExpect(redirectedUrl("/login?error"));
        String code = operator.code();
        // a code at the very end of its step could be refused as stale by the next step's check: take a fresh one
        MvcResult result = login(operator.login(), operator.password(), code).andReturn();
        if ("/login?error".equals(result.getResponse().getRedirectedUrl())) {
            code = operator.code();
            result = login(operator.login(), operator.password(), code).andReturn();
        }
        assertThat(result.getResponse().getRedirectedUrl()).as("%s", jdbc.queryForList(
            "SELECT outcome || ' ' || coalesce(reason, '') FROM console.login_event WHERE login = ? ORDER BY id", String.class,
            operator.login())).isEqualTo("/");
        login(operator.login(), operator.password(), code).andExpect(redirectedUrl("/login?error"));
        assertThat(jdbc.queryForList("SELECT outcome FROM console.login_event WHERE login = ? ORDER BY id", String.class,
            operator.login())).contains("FAILURE", "SUCCESS");
    }

    @Test
    void fiveFailuresLockTheAccountEvenAgainstTheRightCredentials() throws Exception {
        ConsoleAccounts.Entry auditor = accounts().get(DevelopmentAccounts.AUDITOR);
        for (int i = 0; i < 4; i++) {
            login(auditor.login(), "wrong-" + i, auditor.code()).andExpect(redirectedUrl("/login?error"));
        }
        assertThat(jdbc.queryForList("SELECT outcome FROM console.login_event WHERE login = ? ORDER BY id", String.class,
            auditor.login())).as("each attempt counted once").containsExactly("FAILURE", "FAILURE", "FAILURE", "FAILURE");
        login(auditor.login(), "wrong-5", auditor.code()).andExpect(redirectedUrl("/login?error"));
        login(auditor.login(), auditor.password(), auditor.code()).andExpect(redirectedUrl("/login?error"));
        assertThat(jdbc.queryForList("SELECT outcome FROM console.login_event WHERE login = ? ORDER BY id", String.class,
            auditor.login())).containsSubsequence("FAILURE", "LOCKED_OUT", "REFUSED_LOCKED").doesNotContain("SUCCESS");
        assertThat(jdbc.queryForObject("SELECT locked_until > now() FROM console.account WHERE login = ?", Boolean.class,
            auditor.login())).isTrue();
    }

    @Test
    void unknownLoginsFailLikeWrongPasswords() throws Exception {
        login("nobody", "whatever", "123456").andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void formsNeedTheCsrfTokenAndPagesCarryAStrictContentSecurityPolicy() throws Exception {
        mvc.perform(post("/login").param("username", "operateur").param("password", "x").param("code", "123456"))
            .andExpect(status().isForbidden());
        mvc.perform(post("/trust-list/refresh").with(user("operateur").roles("OPERATOR"))).andExpect(status().isForbidden());
        MvcResult page = mvc.perform(get("/login")).andExpect(status().isOk())
            .andExpect(header().string("X-Frame-Options", "DENY")).andReturn();
        String csp = page.getResponse().getHeader("Content-Security-Policy");
        assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline")
            .doesNotContain("unsafe-eval");
        assertThat(page.getResponse().getContentAsString()).contains("name=\"username\"").contains("name=\"password\"")
            .contains("name=\"code\"").contains("name=\"_csrf\"").doesNotContain("<script").doesNotContain("style=");
        mvc.perform(get("/")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/mailboxes")).andExpect(redirectedUrl("http://localhost/login"));
    }

    /** Every POST route of the console, as an auditor with a valid CSRF token: 403, and no call reaches WebAdmin. */
    @Test
    void anAuditorIsRefusedEveryPostRoute() throws Exception {
        List<String> posts = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            if (info.getMethodsCondition().getMethods().contains(RequestMethod.POST)) {
                for (String pattern : info.getPatternValues()) {
                    posts.add(pattern.replaceAll("\\{[^}]+}", "x@demo.mss.test"));
                }
            }
        }
        assertThat(posts).hasSizeGreaterThanOrEqualTo(12);
        for (String path : posts) {
            int status = mvc.perform(post(path).with(csrf()).with(user("auditeur").roles("AUDITOR"))
                .param("key", "k").param("identity", "1").param("role", "CO_HOLDER").param("state", "SUSPENDED")
                .param("domain", "d.test").param("source", "s").param("address", "a@b.c").param("kind", "PER")
                .param("holder", "1").param("policy", "DEFAULT").param("password", "p").param("mailbox", "a@b.c")
                .param("email", "a@b.c")).andReturn().getResponse().getStatus();
            assertThat(status).as("POST %s as auditor", path).isEqualTo(403);
        }
        // the same routes are open to operators (here WebAdmin is unreachable: the error is shown, no 403)
        int operatorStatus = mvc.perform(post("/trust-list/refresh").with(csrf()).with(user("operateur").roles("OPERATOR")))
            .andReturn().getResponse().getStatus();
        assertThat(operatorStatus).isEqualTo(302);
    }

    private org.springframework.test.web.servlet.ResultActions login(String username, String password, String code) throws Exception {
        return mvc.perform(post("/login").with(csrf()).param("username", username).param("password", password).param("code", code));
    }
}
