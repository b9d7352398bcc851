package fr.mssante.operator.console.metrics;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * The console's own meters, published on {@code /actuator/prometheus}:
 * <ul>
 * <li>{@code mss_console_logins_total{outcome}}: login attempts by outcome ({@code success}, {@code failure},
 *     {@code locked_out} when a failure locks the account, {@code refused_locked} when a locked account tries again);
 *     never the login itself (no per-person label);</li>
 * <li>{@code mss_console_webadmin_requests_seconds{method,outcome}}: latency of every WebAdmin call the console makes,
 *     by HTTP method and outcome ({@code ok}, {@code client_error} 4xx, {@code server_error} 5xx, {@code unreachable});
 *     no path label (addresses appear in paths).</li>
 * </ul>
 */
@Component
public class ConsoleMetrics {
    public static final String LOGINS = "mss.console.logins";
    public static final String WEBADMIN_REQUESTS = "mss.console.webadmin.requests";

    private final MeterRegistry registry;

    public ConsoleMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String outcome : new String[] {"SUCCESS", "FAILURE", "LOCKED_OUT", "REFUSED_LOCKED"}) {
            loginCounter(outcome); // present at zero from the start: a rate over a missing series is no alert
        }
    }

    /** One login attempt, with the outcome written in {@code console.login_event}. */
    public void login(String outcome) {
        loginCounter(outcome).increment();
    }

    /** One WebAdmin call: its HTTP status (0 when the server could not be reached) and how long it took. */
    public void webAdminCall(String method, int status, Duration elapsed) {
        Timer.builder(WEBADMIN_REQUESTS)
            .description("WebAdmin requests made by the console")
            .tag("method", method.toUpperCase(Locale.ROOT))
            .tag("outcome", outcome(status))
            .register(registry)
            .record(elapsed);
    }

    static String outcome(int status) {
        if (status == 0) {
            return "unreachable";
        }
        if (status >= 500) {
            return "server_error";
        }
        return status >= 400 ? "client_error" : "ok";
    }

    private Counter loginCounter(String outcome) {
        return Counter.builder(LOGINS)
            .description("Console login attempts by outcome")
            .tag("outcome", outcome.toLowerCase(Locale.ROOT))
            .register(registry);
    }
}
