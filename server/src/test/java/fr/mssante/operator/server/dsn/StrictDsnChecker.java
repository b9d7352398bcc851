package fr.mssante.operator.server.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import fr.mssante.operator.testsupport.RequiredTools;

/**
 * Runs {@code src/test/resources/dsn/check_dsn.py} (Python's {@code email} package under {@code policy.strict} plus
 * RFC 3464 / RFC 3463 / RFC 6522 field checks) on one stored DSN, asserts it found no violation, and returns its JSON
 * summary ({@code perMessage}, {@code recipients[]} with lower-case field names, {@code parts}, {@code returned}…).
 */
public final class StrictDsnChecker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StrictDsnChecker() {
    }

    public static JsonNode check(byte[] dsn) throws Exception {
        Path file = Files.createTempFile("dsn-", ".eml");
        try {
            Files.write(file, dsn);
            Path script = Path.of(StrictDsnChecker.class.getResource("/dsn/check_dsn.py").toURI());
            Process process = new ProcessBuilder(RequiredTools.require("python3").toString(), script.toString(), file.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            JsonNode result = JSON.readTree(output);
            assertThat(result.path("errors")).as("RFC 3464 violations in\n%s", new String(dsn, StandardCharsets.UTF_8)).isEmpty();
            assertThat(process.exitValue()).isZero();
            return result;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    public static boolean isDeliveryReport(byte[] message) {
        return new String(message, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT).contains("report-type=delivery-status");
    }
}
