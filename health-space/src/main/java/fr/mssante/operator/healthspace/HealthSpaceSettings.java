package fr.mssante.operator.healthspace;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The health space's settings, bound from {@code mss.health-space.*} (application.properties maps each one to its
 * {@code MSS_HEALTH_SPACE_*} environment variable; docs/features/health-space.md lists them). Relative paths are
 * relative to the working directory ({@code ./mss up} runs it from the project root).
 *
 * @param webadminUrl the mail server's WebAdmin base URL
 * @param webadminTokenFile the JWT (subject {@code health-space}, scope {@code citizens}) read at each call, so that a
 *     renewed token is used without a restart
 * @param mailHost host of the server's IMAPS and submission (implicit TLS) listeners
 * @param imapsPort IMAPS port
 * @param submissionsPort submission port (implicit TLS)
 * @param certificate PKCS#12 file holding the health space's TLS client identity
 * @param certificatePasswordFile file holding that PKCS#12 password
 * @param trustRoots PEM bundle of the CAs that may sign the mail server's certificate
 * @param patientDomain the citizens' domain ({@code <INS>@<patientDomain>})
 * @param login {@code code} (one-time code sent by the server) or {@code oidc} (an OpenID Connect provider)
 * @param oidcInsClaim in {@code oidc} mode, the ID-token or user-info claim that carries the citizen's INS
 * @param mailTimeout connect and read timeout of IMAP and submission
 * @param httpTimeout connect and read timeout of WebAdmin calls
 */
@ConfigurationProperties("mss.health-space")
public record HealthSpaceSettings(String webadminUrl, Path webadminTokenFile, String mailHost, int imapsPort,
                                  int submissionsPort, Path certificate, Path certificatePasswordFile, Path trustRoots,
                                  String patientDomain, String login, String oidcInsClaim, Duration mailTimeout,
                                  Duration httpTimeout) {

    public boolean oidcLogin() {
        return "oidc".equalsIgnoreCase(login);
    }
}
