package fr.mssante.operator.console.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Who may read {@code /actuator/prometheus} and {@code /actuator/health} without a console session: a client on the
 * loopback interface (the Prometheus agent on the console's own host), or anyone presenting
 * {@code Authorization: Bearer <token>} with the token of {@code MSS_CONSOLE_METRICS_TOKEN_FILE} (read at each request,
 * compared in constant time; no file configured = loopback only). The remote address is the TCP peer's: the console
 * does not trust {@code X-Forwarded-For}, so a reverse proxy on the same host makes every client "loopback" — put the
 * token on the proxy's path instead, or do not proxy {@code /actuator}.
 */
public final class MetricsAccess implements AuthorizationManager<RequestAuthorizationContext> {
    private static final String BEARER = "Bearer ";

    private final String tokenFile;

    public MetricsAccess(String tokenFile) {
        this.tokenFile = tokenFile == null ? "" : tokenFile.trim();
    }

    @Override
    public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
        HttpServletRequest request = context.getRequest();
        return new AuthorizationDecision(loopback(request.getRemoteAddr()) || tokenMatches(request.getHeader("Authorization")));
    }

    static boolean loopback(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank() || !remoteAddress.matches("[0-9a-fA-F:.%\\[\\]]+")) {
            return false; // an IP literal only: never a name to resolve
        }
        try {
            return InetAddress.getByName(remoteAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private boolean tokenMatches(String authorization) {
        if (tokenFile.isEmpty() || authorization == null || !authorization.startsWith(BEARER)) {
            return false;
        }
        String expected;
        try {
            expected = Files.readString(Path.of(tokenFile), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return false;
        }
        if (expected.length() < 32) {
            return false; // too short to be a secret: refuse rather than accept a guessable token
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
            authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.US_ASCII));
    }
}
