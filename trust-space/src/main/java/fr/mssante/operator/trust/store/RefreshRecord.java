package fr.mssante.operator.trust.store;

import java.time.Instant;

/**
 * One line of the refresh history shown in the operator console.
 *
 * @param startedAt when the refresh began
 * @param finishedAt when it ended
 * @param source where the list was read from (file path or URL)
 * @param outcome what happened
 * @param reason why it was refused or failed (empty otherwise)
 * @param entryCount entries of the downloaded list, null when none could be read
 * @param added pairs added (UPDATED only)
 * @param removed pairs removed (UPDATED only)
 * @param sha256 SHA-256 of the download, null when nothing was downloaded
 */
public record RefreshRecord(Instant startedAt, Instant finishedAt, String source, RefreshOutcome outcome,
                            String reason, Integer entryCount, int added, int removed, String sha256) {
    public RefreshRecord {
        reason = reason == null ? "" : reason;
    }
}
