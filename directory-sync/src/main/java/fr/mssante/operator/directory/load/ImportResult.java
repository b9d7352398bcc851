package fr.mssante.operator.directory.load;

import java.time.Duration;

import fr.mssante.operator.directory.parse.Dataset;
import fr.mssante.operator.directory.parse.ParseSummary;

/**
 * Outcome of importing one file. {@code dataset}, {@code mode}, {@code parse} and {@code diff} are null when the
 * import failed before reaching that step; {@code reason} says why an import was rejected or failed.
 */
public record ImportResult(long importId, String entry, Dataset dataset, ImportMode mode, ImportStatus status,
                           String reason, ParseSummary parse, DiffCounts diff, Duration loadTime, Duration totalTime) {
}
