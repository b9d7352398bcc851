package fr.mssante.operator.console;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The console's settings (application.properties maps the MSS_CONSOLE_* variables onto them).
 *
 * @param mode             {@code development} (accounts file written under {@code devDirectory}) or {@code production}
 *                         (HTTPS and secure cookies required)
 * @param webAdminUrl      the server's WebAdmin base URL
 * @param webAdminTokenFile the console's WebAdmin JWT (subject {@code mss-console})
 * @param webAdminTimeout  timeout of one WebAdmin request
 * @param devDirectory     where development mode writes {@code console-accounts.properties}
 * @param lockoutFailures  consecutive failed logins that lock an account
 * @param lockoutDuration  how long it stays locked
 * @param metricsTokenFile file holding the bearer token that opens {@code /actuator/prometheus} and
 *                         {@code /actuator/health} to non-loopback clients (blank: loopback only)
 */
@ConfigurationProperties(prefix = "mss.console")
public record ConsoleProperties(String mode, String webAdminUrl, Path webAdminTokenFile, Duration webAdminTimeout,
                                Path devDirectory, int lockoutFailures, Duration lockoutDuration,
                                String metricsTokenFile) {
    public boolean production() {
        return "production".equalsIgnoreCase(mode);
    }
}
