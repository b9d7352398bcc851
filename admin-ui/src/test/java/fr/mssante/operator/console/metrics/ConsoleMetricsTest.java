package fr.mssante.operator.console.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import fr.mssante.operator.console.ConsoleAccounts;
import fr.mssante.operator.console.account.DevelopmentAccounts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The console's own Prometheus endpoint: open without a session from loopback only (or with the metrics token),
 * nothing but {@code prometheus} and {@code health} exposed, and the meters that matter to an operator — logins by
 * outcome (lock-outs included) and WebAdmin calls by outcome — move when those things happen.
 */
@SpringBootTest
@AutoConfigureMockMvc
@AutoConfigureObservability(tracing = false)
class ConsoleMetricsTest {
    static final String TOKEN = "metrics-token-0123456789abcdefghijklmnopqrstuvwxyz";
    static EmbeddedPostgres postgres;
    static Path devDirectory;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        devDirectory = Files.createTempDirectory("console-metrics");
        Files.writeString(devDirectory.resolve("console.token"), "not-a-real-jwt", StandardCharsets.US_ASCII);
        Files.writeString(devDirectory.resolve("metrics.token"), TOKEN + "\n", StandardCharsets.US_ASCII);
        registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("mss.console.dev-directory", devDirectory::toString);
        registry.add("mss.console.web-admin-url", () -> "http://127.0.0.1:1"); // nothing listens: "unreachable"
        registry.add("mss.console.web-admin-token-file", () -> devDirectory.resolve("console.token").toString());
        registry.add("mss.console.metrics-token-file", () -> devDirectory.resolve("metrics.token").toString());
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Autowired
    MockMvc mvc;

    @Test
    void prometheusAndHealthAnswerLoopbackWithoutASession() throws Exception {
        String body = mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains("mss_console_logins_total{application=\"mss-console\",outcome=\"success\"}",
            "mss_console_logins_total{application=\"mss-console\",outcome=\"locked_out\"}", "jvm_memory_used_bytes");
        assertThat(mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString())
            .contains("\"status\":\"UP\"").doesNotContain("components");
        mvc.perform(get("/actuator/prometheus").with(from("::1"))).andExpect(status().isOk());
    }

    @Test
    void anotherAddressNeedsTheToken() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/health"}) {
            mvc.perform(get(path).with(from("10.20.30.40"))).andExpect(status().isForbidden());
            mvc.perform(get(path).with(from("10.20.30.40")).header("Authorization", "Bearer " + TOKEN + "x"))
                .andExpect(status().isForbidden());
            mvc.perform(get(path).with(from("10.20.30.40")).header("Authorization", "Bearer wrong"))
                .andExpect(status().isForbidden());
            // a console session is not a way in either: the endpoint is for scrapers, not for people
            mvc.perform(get(path).with(from("10.20.30.40")).with(user("operateur").roles("OPERATOR")))
                .andExpect(status().isForbidden());
            mvc.perform(get(path).with(from("10.20.30.40")).header("Authorization", "Bearer " + TOKEN))
                .andExpect(status().isOk());
        }
        assertThat(mvc.perform(get("/actuator/prometheus").with(from("10.20.30.40")).header("X-Forwarded-For", "127.0.0.1"))
            .andReturn().getResponse().getStatus()).as("X-Forwarded-For is not believed").isEqualTo(403);
    }

    @Test
    void nothingElseOfTheActuatorIsExposed() throws Exception {
        for (String path : new String[] {"/actuator", "/actuator/env", "/actuator/beans", "/actuator/configprops",
            "/actuator/heapdump", "/actuator/metrics", "/actuator/loggers"}) {
            assertThat(mvc.perform(get(path).header("Authorization", "Bearer " + TOKEN)).andReturn().getResponse().getStatus())
                .as(path).isIn(403, 404);
        }
        assertThat(mvc.perform(post("/actuator/loggers/root").with(csrf()).contentType("application/json")
            .content("{\"configuredLevel\":\"TRACE\"}")).andReturn().getResponse().getStatus()).isIn(403, 404);
    }

    @Test
    void loginsLockOutsAndWebAdminFailuresAreCounted() throws Exception {
        double successes = sample("mss_console_logins_total", "outcome=\"success\"");
        double failures = sample("mss_console_logins_total", "outcome=\"failure\"");
        double lockouts = sample("mss_console_logins_total", "outcome=\"locked_out\"");
        double refusedLocked = sample("mss_console_logins_total", "outcome=\"refused_locked\"");
        ConsoleAccounts accounts = new ConsoleAccounts(devDirectory.resolve(DevelopmentAccounts.FILE));
        ConsoleAccounts.Entry operator = accounts.get(DevelopmentAccounts.OPERATOR);
        ConsoleAccounts.Entry auditor = accounts.get(DevelopmentAccounts.AUDITOR);

        boolean in = login(operator.login(), operator.password(), operator.code()).equals("/")
            // a code at the very end of its step may be refused as stale: one more, fresh
            || login(operator.login(), operator.password(), operator.code()).equals("/");
        assertThat(in).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(login(auditor.login(), "wrong-" + i, auditor.code())).isEqualTo("/login?error");
        }
        assertThat(login(auditor.login(), auditor.password(), auditor.code())).isEqualTo("/login?error");
        assertThat(login("nobody", "whatever", "123456")).isEqualTo("/login?error");

        assertThat(sample("mss_console_logins_total", "outcome=\"success\"")).isEqualTo(successes + 1);
        assertThat(sample("mss_console_logins_total", "outcome=\"locked_out\"")).isEqualTo(lockouts + 1);
        assertThat(sample("mss_console_logins_total", "outcome=\"refused_locked\"")).isEqualTo(refusedLocked + 1);
        double newFailures = sample("mss_console_logins_total", "outcome=\"failure\"") - failures;
        assertThat(newFailures).as("5 wrong passwords, 1 unknown login, perhaps 1 stale code").isBetween(6.0, 7.0);

        double unreachable = sample("mss_console_webadmin_requests_seconds_count", "method=\"GET\",outcome=\"unreachable\"");
        mvc.perform(get("/").with(user("operateur").roles("OPERATOR"))).andExpect(status().isOk());
        assertThat(sample("mss_console_webadmin_requests_seconds_count", "method=\"GET\",outcome=\"unreachable\""))
            .as("the dashboard's WebAdmin reads, none of which reached the server").isGreaterThan(unreachable);
        assertThat(scrape()).doesNotContain(operator.login()).doesNotContain(auditor.login()).doesNotContain("nobody");
    }

    private String login(String username, String password, String code) throws Exception {
        return mvc.perform(post("/login").with(csrf()).param("username", username).param("password", password).param("code", code))
            .andReturn().getResponse().getRedirectedUrl();
    }

    private String scrape() throws Exception {
        return mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    /** The value of one series (0 when absent); {@code labels} is a part of its label set, as Prometheus writes it. */
    private double sample(String name, String labels) throws Exception {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*" + Pattern.quote(labels) + "[^}]*\\} (\\S+)$")
            .matcher(scrape());
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }
}
