package fr.mssante.operator.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Outbound delivery to other operators (deployment settings, see docs/features/trust-space.md).
 *
 * @param certificateChain our certificate (PEM chain) presented to peers as TLS client
 * @param privateKey       its private key (PEM)
 * @param heloName         the name we greet with
 * @param routes           static routes by domain (development, tests, or a fixed peer); others use DNS MX
 * @param timeout          connect and read timeout
 * @param delays           waits between attempts after a transient failure; the last one repeats
 * @param maxAttempts      attempts before the sender gets a failure DSN
 * @param maxIdle          how long an idle TLS session is kept for reuse
 */
public record OutboundSettings(Path certificateChain, Path privateKey, String heloName, Map<String, Route> routes,
                               Duration timeout, List<Duration> delays, int maxAttempts, Duration maxIdle) {
    public OutboundSettings {
        routes = Map.copyOf(routes);
        delays = List.copyOf(delays);
        if (delays.isEmpty() || maxAttempts < 1) {
            throw new IllegalArgumentException("at least one delay and one attempt are required");
        }
    }

    public Duration delayBeforeAttempt(int attempt) {
        return delays.get(Math.min(attempt - 2, delays.size() - 1));
    }
}
