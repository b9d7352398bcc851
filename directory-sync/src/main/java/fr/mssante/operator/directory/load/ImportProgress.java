package fr.mssante.operator.directory.load;

import java.time.Duration;

/** A progress report while a file is loaded; {@code totalBytes} is -1 when unknown. */
public record ImportProgress(String entry, Phase phase, long rows, long bytesRead, long totalBytes, Duration elapsed) {

    public enum Phase { LOADING, INDEXING, COMPARING, SWAPPING }

    public double rowsPerSecond() {
        double seconds = elapsed.toMillis() / 1000.0;
        return seconds <= 0 ? 0 : rows / seconds;
    }

    /** Estimated remaining load time from the bytes read so far, or null when unknown. */
    public Duration eta() {
        if (totalBytes <= 0 || bytesRead <= 0 || phase != Phase.LOADING) {
            return null;
        }
        double remaining = (double) (totalBytes - bytesRead) / bytesRead * elapsed.toMillis();
        return Duration.ofMillis(Math.max(0, (long) remaining));
    }
}
